package dominion.subd.fetch;

import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectBatch;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Commits a fetch's {@link ObjectBatch}es on another thread, one at a time, so that waiting for the
 * disk overlaps with receiving the next objects. Not thread-safe: the fetch's thread drives it.
 */
final class BackgroundCommit implements AutoCloseable {
  private final Executor executor;
  private final Consumer<List<Hash>> onLinked;
  private CompletableFuture<Integer> inFlight = CompletableFuture.completedFuture(0);
  private long linked;

  /**
   * @param onLinked told, on the committing thread, which objects each commit linked into place
   */
  BackgroundCommit(Executor executor, Consumer<List<Hash>> onLinked) {
    this.executor = executor;
    this.onLinked = onLinked;
  }

  /**
   * Waits for the commit in flight, then commits {@code batch} (and closes it) in the background.
   */
  void start(ObjectBatch batch) throws IOException {
    await();
    inFlight =
        CompletableFuture.supplyAsync(
            () -> {
              try (batch) {
                List<Hash> hashes = batch.commit();
                onLinked.accept(hashes);
                return hashes.size();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            executor);
  }

  /** Waits for the commit in flight; returns how many objects all commits so far linked. */
  long await() throws IOException {
    try {
      linked += inFlight.get();
      inFlight = CompletableFuture.completedFuture(0);
      return linked;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while committing fetched objects");
    } catch (ExecutionException e) {
      inFlight = CompletableFuture.completedFuture(0);
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException("commit fetched objects: " + e.getCause(), e.getCause());
    }
  }

  /** Waits for the commit in flight, if any, ignoring its failure (the caller is failing). */
  @Override
  public void close() {
    inFlight.handle((n, e) -> null).join();
  }
}
