package dominion.subd.scan;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.TreePaths;
import dominion.core.image.Filter;
import dominion.subd.sys.Inotify;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change notification for the metadata pass: inotify watches on every directory of the last scanned
 * tree, and a thread that wakes the pass when something not excluded changes. It only shortens the
 * time to notice drift; the periodic metadata pass and the full re-hash still run (inotify misses
 * writes through mmap and to the device, and can overflow). If inotify is unavailable or its watch
 * limit is reached, {@link #healthy()} turns false and the metadata pass falls back to running as
 * often as its limits allow.
 */
public final class ChangeWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);
  private static final int MASK =
      Inotify.IN_MODIFY
          | Inotify.IN_ATTRIB
          | Inotify.IN_CLOSE_WRITE
          | Inotify.IN_MOVED_FROM
          | Inotify.IN_MOVED_TO
          | Inotify.IN_CREATE
          | Inotify.IN_DELETE
          | Inotify.IN_DELETE_SELF
          | Inotify.IN_MOVE_SELF
          | Inotify.IN_ONLYDIR
          | Inotify.IN_DONT_FOLLOW;

  private record Watched(long inum, int wd) {}

  private final Path root;
  private final Supplier<Filter> exclusions;
  private final Runnable onChange;
  private final Duration pollInterval;
  private final Inotify inotify;
  // Guarded by this: the directories watched, by tree path (only the scan thread changes it).
  private final Map<String, Watched> watched = new HashMap<>();
  private final Map<Integer, String> paths = new ConcurrentHashMap<>();
  private volatile boolean healthy;
  // Directories (tree paths) with changes since the last drain; null after an overflow.
  private Set<String> dirty = new HashSet<>();
  // Held while reading and noting events (the watcher's thread, or a full pass starting).
  private final Object reading = new Object();
  private Thread thread;

  /**
   * @param onChange called (on the watcher's thread) when a change may need a new pass
   * @param pollInterval how long events gather after a change before the next read
   */
  public ChangeWatcher(
      Path root, Supplier<Filter> exclusions, Runnable onChange, Duration pollInterval) {
    this.root = root;
    this.exclusions = exclusions;
    this.onChange = onChange;
    this.pollInterval = pollInterval;
    Inotify in = null;
    try {
      in = Inotify.open();
    } catch (IOException | RuntimeException | LinkageError e) {
      log.warn(
          "no change notification ({}); drift is found by the periodic scan only", e.getMessage());
    }
    this.inotify = in;
    this.healthy = in != null;
  }

  /** True while every directory of the tree is watched. */
  public boolean healthy() {
    return healthy;
  }

  public synchronized void start() {
    if (inotify != null) {
      thread = Thread.ofPlatform().name("subd-watch").daemon().start(this::loop);
    }
  }

  /**
   * The directories that changed since the last call, or null if that is unknown (the event queue
   * overflowed, or notification is not working): then only a full pass will do.
   */
  public synchronized Set<String> drainDirty() {
    Set<String> out = healthy ? dirty : null;
    dirty = new HashSet<>();
    return out;
  }

  private synchronized void markDirty(String dir) {
    if (dirty != null) {
      dirty.add(dir);
    }
  }

  private synchronized void markOverflow() {
    dirty = null;
  }

  /** Watches the directories of a freshly scanned tree (and forgets those gone). */
  public synchronized void watch(FileTree tree) {
    if (inotify == null) {
      return;
    }
    Map<String, Watched> next = new HashMap<>();
    boolean complete = true;
    for (Entry e : tree.entries()) {
      if (!(e.inode() instanceof DirectoryInode)) {
        continue;
      }
      Watched w = watched.get(e.path());
      if (w == null || w.inum() != e.inum()) {
        try {
          Path dir = e.path().equals(TreePaths.ROOT) ? root : root.resolve(e.path().substring(1));
          w = new Watched(e.inum(), inotify.addWatch(dir, MASK));
          paths.put(w.wd(), e.path());
        } catch (Inotify.LimitReachedException ex) {
          if (healthy) {
            log.warn("{}; drift is found by the periodic scan only", ex.getMessage());
          }
          complete = false;
          break;
        } catch (IOException ex) {
          // Gone since the scan: the next pass sees it.
          continue;
        }
      }
      next.put(e.path(), w);
    }
    watched.clear();
    watched.putAll(next);
    healthy = complete;
  }

  /**
   * Forgets every change so far, including the events the kernel has queued that this watcher has
   * not read yet (it gathers events for {@code pollInterval} after each burst): called when a full
   * pass starts, which sees all of them. Without this, the last events of an update would reach the
   * first change pass after the full one, which would list those directories again and pay for it
   * out of the change budget, delaying the next real change by seconds.
   */
  public void forgetQueued() {
    if (inotify == null) {
      return;
    }
    try {
      synchronized (reading) {
        absorb(inotify.poll());
      }
    } catch (IOException | RuntimeException e) {
      // The watcher's own thread meets the same failure and says so; the events stay queued.
      log.debug("reading queued changes: {}", e.getMessage());
    }
    synchronized (this) {
      dirty = new HashSet<>();
    }
  }

  // Notes what the events changed; true if any needs a pass.
  private boolean absorb(java.util.List<Inotify.Event> events) {
    boolean changed = false;
    Filter filter = exclusions.get();
    for (Inotify.Event e : events) {
      if ((e.mask() & Inotify.IN_Q_OVERFLOW) != 0) {
        markOverflow();
        changed = true;
        continue;
      }
      String dir = paths.get(e.wd());
      if ((e.mask() & Inotify.IN_IGNORED) != 0) {
        paths.remove(e.wd());
        continue;
      }
      if (dir == null) {
        continue;
      }
      String path = e.name() == null ? dir : TreePaths.join(dir, e.name());
      if (!filter.match(path)) {
        // The directory's listing holds the change (a directory's own attributes are in its
        // parent's listing, which gets its own event).
        markDirty(dir);
        changed = true;
      }
    }
    return changed;
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        boolean changed;
        synchronized (reading) {
          changed = absorb(inotify.poll());
        }
        if (changed) {
          onChange.run();
          // Let a burst of events gather into one wake.
          Thread.sleep(pollInterval);
        }
        inotify.await(60_000);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.warn("change notification failed ({}); relying on the periodic scan", e.getMessage());
        healthy = false;
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
      inotify.wakeUp();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (inotify != null) {
      inotify.close();
    }
  }
}
