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
 * The frequent metadata pass: walks the root (lstat of everything), hashing only files the {@link
 * HashCache} has no valid hash for, and publishes the tree to {@link TreeState}.
 *
 * <p>When: at once when {@link #wake} is called (a change notification, the end of an update, a
 * change the full re-hash found), and otherwise every {@code periodicInterval} while change
 * notification works, or back to back when it does not. Never less than {@code minInterval} apart
 * from start to start, so a tiny root or a stream of changes cannot make it spin, and always within
 * the CPU and disk shares (the thread sleeps off what a pass cost). A pass that overlapped an
 * update is thrown away and run again, since it may have seen a half-applied tree.
 */
public final class ScanLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScanLoop.class);

  /**
   * @param root the managed root
   * @param stateDir subd's state directory, never scanned
   * @param minInterval least time from one pass's start to the next
   * @param periodicInterval time between passes nothing asked for, while change notification works
   */
  public record Config(Path root, Path stateDir, Duration minInterval, Duration periodicInterval) {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
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
  private boolean fullForced;
  private long lastFull;
  // The update epoch the last published full pass started in (-1: none yet).
  private long lastFullEpoch = -1;
  // Directories a pass skipped for an update was to look at. Guarded by lock.
  private final Set<String> carried = new java.util.HashSet<>();
  private long fullNotBefore = Long.MIN_VALUE;
  private Thread thread;
  private volatile String lastError;

  /**
   * @param updateEpoch the updater's epoch (odd while an update runs; any change between the start
   *     and end of a pass voids the pass)
   * @param watcher change notification, or null for none
   */
  public ScanLoop(
      Config config,
      Settings settings,
      HashCache cache,
      TreeState state,
      ScanLimits limits,
      LongSupplier updateEpoch,
      ChangeWatcher watcher) {
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

  /**
   * Asks for a full pass as soon as the minimum interval allows, whatever the CPU share still owes,
   * and one that rests off its own cost only after it ends (after an update: change notification
   * may not have delivered all of its events yet, and the dominator waits for this pass to judge
   * the update; at a 1% share, resting as it goes would make a pass that must read even one file
   * take a hundred times its CPU time).
   */
  public void wake() {
    synchronized (lock) {
      woken = true;
      fullRequested = true;
      fullForced = true;
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
   * Runs one full pass now, on the calling thread, and publishes it unless an update overlapped it.
   *
   * @return true if the pass was published (whether or not the generation moved)
   */
  public boolean scanOnce() throws IOException {
    return pass(null, false) != Outcome.SKIPPED;
  }

  /**
   * Lists only the directories in {@code dirty} again (falling back to a full pass when that cannot
   * be trusted) and publishes the result unless an update overlapped it.
   */
  public boolean scanChanges(Set<String> dirty) throws IOException {
    return pass(dirty, false) != Outcome.SKIPPED;
  }

  /** What a pass did. */
  enum Outcome {
    SKIPPED,
    NOTHING,
    INCREMENTAL,
    FULL
  }

  // urgent: a full pass rests off its cost only after it ends (see ScanLimits.Pass.URGENT).
  private Outcome pass(Set<String> dirty, boolean urgent) throws IOException {
    dirty = withCarried(dirty);
    long epoch = updateEpoch.getAsLong();
    if ((epoch & 1) == 1) {
      carry(dirty);
      return Outcome.SKIPPED;
    }
    if (dirty != null && !fullPassSince(epoch)) {
      // An update ended since the last full pass. Change notification may not have handed over
      // all of its changes yet (its thread reads the kernel's queue when it can), and the
      // dominator judges the update by the first pass that starts after it ends: only a full
      // pass will do, resting off its cost after it ends, as the one wake() asks for.
      dirty = null;
      urgent = true;
    }
    long start = System.nanoTime();
    long cpuStart = log.isDebugEnabled() ? THREADS.getCurrentThreadCpuTime() : 0;
    FileTree previous = state.snapshot().tree();
    FileTree tree = null;
    String kind = "incremental";
    if (dirty != null && previous != null) {
      if (dirty.isEmpty()) {
        return Outcome.NOTHING;
      }
      limits.startPass(ScanLimits.Pass.CHANGES);
      try {
        tree =
            new DirectoryRescan(
                    config.root(),
                    Posix.lstat(config.root()).dev(),
                    settings.exclusions(),
                    Set.of(config.stateDir()),
                    cache)
                .rescan(previous, dirty);
      } catch (DirectoryRescan.Fallback e) {
        log.debug("incremental scan gave up ({}); scanning everything", e.getMessage());
      }
    }
    if (tree == null) {
      kind = "full";
      limits.startPass(urgent ? ScanLimits.Pass.URGENT : ScanLimits.Pass.FULL);
      cache.beginScan();
      tree =
          new TreeScanner(
                  new TreeScanner.Config(settings.exclusions(), Set.of(config.stateDir())), cache)
              .scan(config.root())
              .tree();
      cache.endScan();
    }
    if (updateEpoch.getAsLong() != epoch) {
      log.debug("scan overlapped an update; scanning again");
      carry(kind.equals("full") ? null : dirty);
      return Outcome.SKIPPED;
    }
    if (kind.equals("full")) {
      synchronized (lock) {
        lastFull = start;
        lastFullEpoch = epoch;
      }
    }
    if (watcher != null) {
      watcher.watch(tree);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (log.isDebugEnabled()) {
      log.debug(
          "{} pass: {} ms, {} ms of CPU, {} directories",
          kind,
          millis,
          (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000_000,
          kind.equals("full") ? "all" : dirty.size());
    }
    if (state.publish(tree, System.currentTimeMillis(), millis)) {
      log.info(
          "{} scan found a changed tree: generation {}, {} entries, {} ms",
          kind,
          state.snapshot().generation(),
          tree.size(),
          millis);
    }
    return kind.equals("full") ? Outcome.FULL : Outcome.INCREMENTAL;
  }

  // Whether a full pass was published since the update that left the epoch at epoch ended.
  private boolean fullPassSince(long epoch) {
    synchronized (lock) {
      return lastFullEpoch == epoch;
    }
  }

  // A pass skipped for an update must not lose what it was to look at (change notification has
  // handed those directories over already): the next pass looks at them too, or is full.
  private void carry(Set<String> dirty) {
    synchronized (lock) {
      if (dirty == null) {
        fullRequested = true;
      } else {
        carried.addAll(dirty);
      }
    }
  }

  private Set<String> withCarried(Set<String> dirty) {
    synchronized (lock) {
      if (carried.isEmpty()) {
        return dirty;
      }
      Set<String> all = null;
      if (dirty != null) {
        all = new java.util.HashSet<>(dirty);
        all.addAll(carried);
      }
      carried.clear();
      return all;
    }
  }

  /** Asks for a pass soon: an incremental one if change notification knows what changed. */
  public void changed() {
    synchronized (lock) {
      woken = true;
      lock.notifyAll();
    }
  }

  private void loop() {
    Meter fullMeter = limits.meter();
    Meter changeMeter = limits.changeMeter();
    fullMeter.reset();
    changeMeter.reset();
    while (!Thread.currentThread().isInterrupted()) {
      long start = System.nanoTime();
      Outcome outcome = Outcome.SKIPPED;
      try {
        outcome = runDuePass(start);
        lastError = null;
      } catch (java.io.InterruptedIOException e) {
        return;
      } catch (IOException | RuntimeException e) {
        failures.incrementAndGet();
        lastError = "scan " + config.root() + ": " + e.getMessage();
        log.error("{}", lastError);
      }
      try {
        if (outcome == Outcome.FULL) {
          // Not slept off here: the next full pass waits for it, changes need not.
          long owed = fullMeter.account();
          synchronized (lock) {
            fullNotBefore = System.nanoTime() + owed;
          }
          changeMeter.reset();
        } else {
          changeMeter.settle();
          fullMeter.reset();
        }
        pause(start, outcome != Outcome.SKIPPED);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Runs the pass that is due now (full, urgent or over what changed) on the calling thread. */
  Outcome runDuePass(long start) throws IOException {
    Due due = nextPass(start);
    return pass(due.dirty(), due.urgent());
  }

  private boolean notificationWorks() {
    return watcher != null && watcher.healthy();
  }

  // When the next full pass is due (asked for, periodic, or always without notification), not
  // before its CPU share allows. Caller holds lock.
  private long fullDueAt() {
    if (fullForced) {
      return Long.MIN_VALUE;
    }
    long due =
        fullRequested || lastFull == 0 || !notificationWorks()
            ? Long.MIN_VALUE
            : lastFull + config.periodicInterval().toNanos();
    return Math.max(due, fullNotBefore);
  }

  // The pass due now: dirty is null for a full pass, else the directories change notification
  // says changed (possibly none); urgent for a full pass wake() asked for.
  private record Due(Set<String> dirty, boolean urgent) {
    static final Due NONE = new Due(Set.of(), false);
  }

  // A full pass that is due but not yet allowed waits; changes meanwhile go incremental.
  private Due nextPass(long now) {
    boolean full;
    boolean urgent;
    synchronized (lock) {
      full =
          now >= fullDueAt()
              && (fullRequested
                  || lastFull == 0
                  || !notificationWorks()
                  || now - lastFull >= config.periodicInterval().toNanos());
      urgent = full && fullForced;
      if (full) {
        fullRequested = false;
        fullForced = false;
      }
    }
    if (full) {
      if (watcher != null) {
        // Every change queued so far was made before this pass walks the root.
        watcher.forgetQueued();
      }
      return new Due(null, urgent);
    }
    if (watcher == null) {
      return Due.NONE;
    }
    Set<String> dirty = watcher.drainDirty();
    if (dirty == null) {
      // Notification lost track (an overflow): only a full pass will do.
      synchronized (lock) {
        fullRequested = true;
      }
      return Due.NONE;
    }
    return new Due(dirty, false);
  }

  // Waits for the next pass: a change (at least minInterval after this pass started) or the
  // next full pass. Not published (an update ran meanwhile): retry soon.
  private void pause(long start, boolean published) throws InterruptedException {
    long min = published ? config.minInterval().toNanos() : RETRY_NANOS;
    synchronized (lock) {
      while (true) {
        long now = System.nanoTime();
        long next = fullDueAt();
        if (woken || !published) {
          next = Math.min(next, start + min);
        }
        next = Math.max(next, start + min);
        if (now - next >= 0) {
          woken = false;
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, next - now);
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
