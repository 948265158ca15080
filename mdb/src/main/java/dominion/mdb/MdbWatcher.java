package dominion.mdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the MDB of a file current. It looks at the file's identity (inode, ctime, mtime, size)
 * every {@code interval} and re-reads it when that changes, which catches an atomic replace by
 * rename as well as an in-place write. A file that is missing or does not parse is reported ({@link
 * #status()}, and logged once per version of the file) and the last good MDB stays in force.
 */
public final class MdbWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MdbWatcher.class);

  /**
   * @param file the MDB file
   * @param interval how often to look at it (1 s notices a change within about a second)
   */
  public record Config(Path file, Duration interval) {}

  /** The file's identity: when any part changes, the file is read again. */
  private record Fingerprint(Object fileKey, long mtimeNanos, long size, Object ctime) {}

  private final Config config;
  private final MdbFile file;
  private final Clock clock;
  private final List<Consumer<Mdb>> listeners = new CopyOnWriteArrayList<>();
  // Guarded by this: the state below changes only in check(), read by status() and current().
  private Fingerprint seen;
  private Mdb current = Mdb.EMPTY;
  private long loadedAtMillis;
  private long loads;
  private String lastError;
  private long lastErrorAtMillis;
  private Thread thread;
  private volatile boolean closed;

  public MdbWatcher(Config config, MdbCodec codec, Clock clock) {
    this.config = config;
    this.file = new MdbFile(config.file(), codec);
    this.clock = clock;
  }

  /** Calls {@code listener} with each new MDB put in force (on the watcher's thread). */
  public void addListener(Consumer<Mdb> listener) {
    listeners.add(listener);
  }

  /** Reads the file once now, then watches it on a virtual thread until {@link #close()}. */
  public synchronized MdbWatcher start() {
    check();
    thread = Thread.ofVirtual().name("mdb-watcher").start(this::run);
    return this;
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(config.interval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      check();
    }
  }

  /**
   * Looks at the file now and reloads it if it changed.
   *
   * @return true if a new MDB was put in force
   */
  public boolean check() {
    Mdb published;
    synchronized (this) {
      Fingerprint now;
      try {
        now = fingerprint(file.path());
      } catch (NoSuchFileException e) {
        fail(null, "MDB file " + file.path() + " is missing");
        return false;
      } catch (IOException e) {
        fail(null, "read MDB " + file.path() + ": " + e.getMessage());
        return false;
      }
      if (now.equals(seen)) {
        return false;
      }
      Mdb loaded;
      try {
        loaded = file.load();
      } catch (IOException e) {
        fail(now, "read MDB " + file.path() + ": " + e.getMessage());
        return false;
      } catch (IllegalArgumentException e) {
        fail(now, e.getMessage());
        return false;
      }
      seen = now;
      loads++;
      loadedAtMillis = clock.millis();
      if (lastError != null) {
        log.info("MDB {} is good again", file.path());
      }
      lastError = null;
      lastErrorAtMillis = 0;
      boolean changed = !loaded.equals(current);
      current = loaded;
      log.info(
          "loaded MDB {}: {} machines{}",
          file.path(),
          loaded.size(),
          changed ? "" : " (unchanged)");
      if (!changed) {
        return false;
      }
      published = loaded;
    }
    for (Consumer<Mdb> listener : listeners) {
      listener.accept(published);
    }
    return true;
  }

  // Caller holds the lock. A bad version of the file is logged once, not at every look.
  private void fail(Fingerprint version, String message) {
    seen = version;
    if (!Objects.equals(message, lastError)) {
      log.error("{}; keeping the last good MDB ({} machines)", message, current.size());
      lastError = message;
      lastErrorAtMillis = clock.millis();
    }
  }

  private static Fingerprint fingerprint(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    Object ctime = null;
    try {
      ctime = Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // Not a Unix file system: inode, mtime and size must do.
    }
    return new Fingerprint(
        a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), ctime);
  }

  /** The MDB in force: the last good one read ({@link Mdb#EMPTY} before any). */
  public synchronized Mdb current() {
    return current;
  }

  public synchronized MdbStatus status() {
    return new MdbStatus(
        file.path().toString(),
        current.size(),
        loadedAtMillis,
        loads,
        lastError,
        lastErrorAtMillis);
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
