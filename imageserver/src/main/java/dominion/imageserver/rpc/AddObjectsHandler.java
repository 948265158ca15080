package dominion.imageserver.rpc;

import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.ObjectAdder;
import dominion.core.objectstore.ObjectBatch;
import dominion.proto.imageserver.AddObjectsResponse;
import dominion.proto.imageserver.AddObjectsResponse.AddedObject;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ObjectServer.AddObjects: reads framed objects (see {@link ObjectFraming}) and stores each one,
 * hashing it as it is written; the store refuses one whose bytes do not match its hash.
 *
 * <p>Objects are staged in {@link ObjectBatch}es of about a thousand, so that their fsyncs overlap
 * instead of costing a disk round trip each, and each full batch is committed on its own thread
 * while the next one is received. The call answers only after every batch is committed, also when
 * the stream turns out bad: whole objects before the bad one are kept.
 */
public final class AddObjectsHandler implements Handlers.Upload<AddObjectsResponse> {
  private static final Logger log = LoggerFactory.getLogger(AddObjectsHandler.class);
  private static final int COMMIT_OBJECTS = 1024;
  private static final long COMMIT_BYTES = 256L << 20;

  private final DiskObjectStore store;

  public AddObjectsHandler(DiskObjectStore store) {
    this.store = store;
  }

  @Override
  public AddObjectsResponse handle(InputStream body, CallContext call) throws IOException {
    List<AddedObject> objects = new ArrayList<>();
    long addedCount = 0;
    long addedBytes = 0;
    List<CompletableFuture<Void>> commits = new ArrayList<>();
    ObjectBatch batch = store.newBatch();
    try {
      for (ObjectFraming.AddHeader h; (h = ObjectFraming.readAddHeader(body)) != null; ) {
        ObjectAdder.AddResult r = batch.add(ObjectFraming.exactly(body, h.length()), h.hash());
        objects.add(new AddedObject(r.hash().hex(), r.size(), r.added()));
        if (r.added()) {
          addedCount++;
          addedBytes += r.size();
        }
        if (batch.pendingCount() >= COMMIT_OBJECTS || batch.pendingBytes() >= COMMIT_BYTES) {
          commits.add(commitInBackground(batch));
          batch = store.newBatch();
        }
      }
    } catch (IOException | RuntimeException e) {
      commits.add(commitInBackground(batch));
      awaitAll(commits);
      if (e instanceof EOFException) {
        throw RpcException.invalid(
            "add objects: "
                + e.getMessage()
                + " (the "
                + objects.size()
                + " whole objects before it are stored)");
      }
      throw e;
    }
    commits.add(commitInBackground(batch));
    awaitAll(commits);
    log.debug(
        "{} added {} of {} objects ({} bytes)", call.who(), addedCount, objects.size(), addedBytes);
    return new AddObjectsResponse(objects, addedCount, addedBytes);
  }

  // The batch belongs to the committing thread from here on.
  private static CompletableFuture<Void> commitInBackground(ObjectBatch batch) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("add-objects-commit")
        .start(
            () -> {
              try (batch) {
                batch.commit();
                done.complete(null);
              } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
              }
            });
    return done;
  }

  private static void awaitAll(List<CompletableFuture<Void>> commits) throws IOException {
    IOException first = null;
    for (CompletableFuture<Void> commit : commits) {
      try {
        commit.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while committing objects");
      } catch (ExecutionException e) {
        if (first == null) {
          first =
              e.getCause() instanceof IOException io
                  ? io
                  : new IOException("commit objects: " + e.getCause(), e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
