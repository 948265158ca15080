package dominion.subd.scan;

import dominion.core.fs.ContentChangedException;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.subd.limit.ScanLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow, continuous full re-hash: reads every regular file of the last scanned tree again, paced
 * by a quarter of the scan's CPU share and by its disk share, and compares with the hash the {@link
 * HashCache} holds for the file's unchanged metadata. A difference (a failing disk, a tool that
 * restores mtimes, a write to the device) corrects the cache and wakes the metadata pass, which
 * then publishes the new content. A pass takes at least {@code minPassDuration}, so a small root is
 * not re-read over and over.
 */
public final class Rehasher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Rehasher.class);

  /**
   * @param root the managed root
   * @param minPassDuration least time from one full pass's start to the next
   */
  public record Config(Path root, Duration minPassDuration) {}

  private final Config config;
  private final HashCache cache;
  private final TreeState state;
  private final ScanLimits limits;
  private final Runnable onMismatch;
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong mismatches = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private Thread thread;

  /**
   * @param onMismatch called when a file's content changed under unchanged metadata
   */
  public Rehasher(
      Config config, HashCache cache, TreeState state, ScanLimits limits, Runnable onMismatch) {
    this.config = config;
    this.cache = cache;
    this.state = state;
    this.limits = limits;
    this.onMismatch = onMismatch;
  }

  public synchronized void start() {
    thread = Thread.ofPlatform().name("subd-rehash").daemon().start(this::loop);
  }

  public long passes() {
    return passes.get();
  }

  public long mismatches() {
    return mismatches.get();
  }

  public long bytesRead() {
    return bytesRead.get();
  }

  /**
   * Re-hashes every regular file of the current tree once, on the calling thread.
   *
   * @return how many files had changed under unchanged metadata
   */
  public int passOnce() throws IOException {
    FileTree tree = state.snapshot().tree();
    if (tree == null) {
      return 0;
    }
    LimitedHasher hasher = new LimitedHasher(limits, true);
    Set<Long> seen = new HashSet<>();
    int found = 0;
    for (Entry e : tree.entries()) {
      if (!(e.inode() instanceof RegularInode) || !seen.add(e.inum())) {
        continue;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("full re-hash interrupted");
      }
      Path path = config.root().resolve(e.path().substring(1));
      Posix.Stat st = Posix.lstatIfExists(path);
      Hash cached = st == null || !st.isRegular() ? null : cache.peek(st);
      if (cached == null) {
        continue; // Changed since: the metadata pass will see it.
      }
      Hash actual;
      try {
        actual = hasher.hash(path, st);
      } catch (ContentChangedException | java.nio.file.NoSuchFileException ex) {
        continue;
      }
      bytesRead.addAndGet(st.size());
      if (!actual.equals(cached) && cached.equals(cache.peek(st))) {
        log.warn(
            "{} changed without a change of size, mtime or ctime (disk fault, or a tool"
                + " that restores times?); rescanning",
            e.path());
        cache.correct(st, actual);
        mismatches.incrementAndGet();
        found++;
        onMismatch.run();
      }
    }
    passes.incrementAndGet();
    return found;
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      long start = System.nanoTime();
      try {
        limits.backgroundMeter().reset();
        if (state.snapshot().tree() == null) {
          // No scan yet: nothing to re-read; look again shortly.
          Thread.sleep(1000);
          continue;
        }
        passOnce();
      } catch (InterruptedIOException | InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.error("full re-hash of {} failed: {}", config.root(), e.getMessage());
      }
      long left = config.minPassDuration().toNanos() - (System.nanoTime() - start);
      try {
        Thread.sleep(Duration.ofNanos(Math.max(left, 1_000_000_000L)));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
