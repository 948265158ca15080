package dominion.subd.scan;

import dominion.core.fs.FileTree;
import dominion.core.fs.Posix;
import dominion.core.fs.TreeScanner;
import dominion.subd.Settings;
import dominion.subd.limit.Meter;
import dominion.subd.limit.ScanLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frequent metadata pass: walks the root (lstat of everything), hashing only files the
 * {@link HashCache} has no valid hash for, and publishes the tree to {@link TreeState}.
 *
 * <p>When: at once when {@link #wake} is called (a change notification, the end of an update, a
 * change the full re-hash found), and otherwise every {@code periodicInterval} while change
 * notification works, or back to back when it does not. Never less than {@code minInterval}
 * apart from start to start, so a tiny root or a stream of changes cannot make it spin, and
 * always within the CPU and disk shares (the thread sleeps off what a pass cost). A pass that
 * overlapped an update is thrown away and run again, since it may have seen a half-applied
 * tree.
 */
public final class ScanLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScanLoop.class);

  /**
   * @param root the managed root
   * @param stateDir subd's state directory, never scanned
   * @param minInterval least time from one pass's start to the next
   * @param periodicInterval time between passes nothing asked for, while change notification
   *     works
   */
  public record Config(Path root, Path stateDir, Duration minInterval,
      Duration periodicInterval) {}

  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Config config;
  private final Settings settings;
  private final HashCache cache;
  private final TreeState state;
  private final ScanLimits limits;
  private final LongSupplier updateEpoch;
  private final ChangeWatcher watcher;
  private final Object lock = new Object();
  private final AtomicLong failures = new AtomicLong();
  // Guarded by lock.
  private boolean woken;
  private boolean fullRequested;
  private long lastFull;
  private Thread thread;
  private volatile String lastError;

  /**
   * @param updateEpoch the updater's epoch (odd while an update runs; any change between the
   *     start and end of a pass voids the pass)
   * @param watcher change notification, or null for none
   */
  public ScanLoop(Config config, Settings settings, HashCache cache, TreeState state,
      ScanLimits limits, LongSupplier updateEpoch, ChangeWatcher watcher) {
    this.config = config;
    this.settings = settings;
    this.cache = cache;
    this.state = state;
    this.limits = limits;
    this.updateEpoch = updateEpoch;
    this.watcher = watcher;
  }

  public synchronized void start() {
    thread = Thread.ofPlatform().name("subd-scan").daemon().start(this::loop);
  }

  /** Asks for a full pass as soon as the minimum interval allows. */
  public void wake() {
    synchronized (lock) {
      woken = true;
      fullRequested = true;
      lock.notifyAll();
    }
  }

  /** Why the last pass failed, or null. */
  public String lastError() {
    return lastError;
  }

  public long failures() {
    return failures.get();
  }

  /**
   * Runs one full pass now, on the calling thread, and publishes it unless an update overlapped
   * it.
   *
   * @return true if the pass was published (whether or not the generation moved)
   */
  public boolean scanOnce() throws IOException {
    return pass(null);
  }

  /**
   * Lists only the directories in {@code dirty} again (falling back to a full pass when that
   * cannot be trusted) and publishes the result unless an update overlapped it.
   */
  public boolean scanChanges(Set<String> dirty) throws IOException {
    return pass(dirty);
  }

  private boolean pass(Set<String> dirty) throws IOException {
    long epoch = updateEpoch.getAsLong();
    if ((epoch & 1) == 1) {
      return false;
    }
    long start = System.nanoTime();
    FileTree previous = state.snapshot().tree();
    FileTree tree = null;
    String kind = "incremental";
    if (dirty != null && previous != null) {
      if (dirty.isEmpty()) {
        return true;
      }
      try {
        tree = new DirectoryRescan(config.root(), Posix.lstat(config.root()).dev(),
            settings.exclusions(), Set.of(config.stateDir()), cache).rescan(previous, dirty);
      } catch (DirectoryRescan.Fallback e) {
        log.debug("incremental scan gave up ({}); scanning everything", e.getMessage());
      }
    }
    if (tree == null) {
      kind = "full";
      cache.beginScan();
      tree = new TreeScanner(
          new TreeScanner.Config(settings.exclusions(), Set.of(config.stateDir())), cache)
          .scan(config.root()).tree();
      cache.endScan();
      synchronized (lock) {
        lastFull = start;
      }
    }
    if (updateEpoch.getAsLong() != epoch) {
      log.debug("scan overlapped an update; scanning again");
      return false;
    }
    if (watcher != null) {
      watcher.watch(tree);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (state.publish(tree, System.currentTimeMillis(), millis)) {
      log.info("{} scan found a changed tree: generation {}, {} entries, {} ms", kind,
          state.snapshot().generation(), tree.size(), millis);
    }
    return true;
  }

  /** Asks for a pass soon: an incremental one if change notification knows what changed. */
  public void changed() {
    synchronized (lock) {
      woken = true;
      lock.notifyAll();
    }
  }

  private void loop() {
    Meter meter = limits.meter();
    meter.reset();
    while (!Thread.currentThread().isInterrupted()) {
      long start = System.nanoTime();
      boolean published = false;
      try {
        published = pass(nextDirtySet(start));
        lastError = null;
      } catch (java.io.InterruptedIOException e) {
        return;
      } catch (IOException | RuntimeException e) {
        failures.incrementAndGet();
        lastError = "scan " + config.root() + ": " + e.getMessage();
        log.error("{}", lastError);
      }
      try {
        meter.settle();
        pause(start, published);
        meter.reset();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // Null for a full pass (asked for, due, or change notification cannot say what changed),
  // else the directories that changed since the last pass.
  private Set<String> nextDirtySet(long now) {
    boolean full;
    synchronized (lock) {
      full = fullRequested || lastFull == 0 || watcher == null || !watcher.healthy()
          || now - lastFull >= config.periodicInterval().toNanos();
      fullRequested = false;
    }
    if (watcher == null) {
      return null;
    }
    Set<String> dirty = watcher.drainDirty();
    return full ? null : dirty;
  }

  // Waits for the next pass: until woken (but at least minInterval after this pass started),
  // or until the next periodic full pass is due. Not published (an update ran meanwhile):
  // retry soon.
  private void pause(long start, boolean published) throws InterruptedException {
    long min = published ? config.minInterval().toNanos() : RETRY_NANOS;
    synchronized (lock) {
      while (true) {
        long now = System.nanoTime();
        long periodic = watcher != null && watcher.healthy()
            ? lastFull + config.periodicInterval().toNanos() - now : 0;
        long left = Math.max(min - (now - start), (woken || !published) ? 0 : periodic);
        if (left <= 0) {
          woken = false;
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
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
