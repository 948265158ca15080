package dominion.subd.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A Linux inotify instance: watches directories and reads their change events without blocking. Not
 * thread-safe: one thread reads; {@link #addWatch} may run on another thread only if the caller
 * serialises it (the kernel call itself is safe).
 */
public final class Inotify implements AutoCloseable {
  public static final int IN_MODIFY = 0x2;
  public static final int IN_ATTRIB = 0x4;
  public static final int IN_CLOSE_WRITE = 0x8;
  public static final int IN_MOVED_FROM = 0x40;
  public static final int IN_MOVED_TO = 0x80;
  public static final int IN_CREATE = 0x100;
  public static final int IN_DELETE = 0x200;
  public static final int IN_DELETE_SELF = 0x400;
  public static final int IN_MOVE_SELF = 0x800;
  public static final int IN_Q_OVERFLOW = 0x4000;
  public static final int IN_IGNORED = 0x8000;
  public static final int IN_ONLYDIR = 0x01000000;
  public static final int IN_DONT_FOLLOW = 0x02000000;
  static final int ENOSPC = 28;

  /** One event: {@code name} is null for events on the watched directory itself. */
  public record Event(int wd, int mask, String name) {}

  /** The watch limit ({@code fs.inotify.max_user_watches}) was reached. */
  public static final class LimitReachedException extends IOException {
    LimitReachedException(String message) {
      super(message);
    }
  }

  private final int fd;
  // Written by wakeUp() so a thread blocked in await() returns at once.
  private final int wakeFd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer = arena.allocate(64 * 1024, 8);
  private final MemorySegment errno = LinuxCalls.captureSegment(arena);

  private Inotify(int fd, int wakeFd) {
    this.fd = fd;
    this.wakeFd = wakeFd;
  }

  /** A new non-blocking instance. */
  public static Inotify open() throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment err = LinuxCalls.captureSegment(a);
      int fd =
          (int)
              LinuxCalls.INOTIFY_INIT1.invokeExact(
                  err, LinuxCalls.IN_NONBLOCK | LinuxCalls.IN_CLOEXEC);
      if (fd < 0) {
        throw new IOException("inotify_init1: errno " + LinuxCalls.errno(err));
      }
      int wake =
          (int)
              LinuxCalls.EVENTFD.invokeExact(
                  err, 0, LinuxCalls.IN_NONBLOCK | LinuxCalls.IN_CLOEXEC);
      if (wake < 0) {
        LinuxCalls.close(fd);
        throw new IOException("eventfd: errno " + LinuxCalls.errno(err));
      }
      return new Inotify(fd, wake);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("inotify_init1 failed", t);
    }
  }

  /** Watches a directory (not following a symlink); returns the watch descriptor. */
  public int addWatch(Path dir, int mask) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment err = LinuxCalls.captureSegment(a);
      int wd =
          (int)
              LinuxCalls.INOTIFY_ADD_WATCH.invokeExact(
                  err, fd, a.allocateFrom(dir.toString(), StandardCharsets.UTF_8), mask);
      if (wd < 0) {
        int e = LinuxCalls.errno(err);
        if (e == ENOSPC) {
          throw new LimitReachedException(
              "inotify watch limit reached at " + dir + "; raise fs.inotify.max_user_watches");
        }
        throw new IOException("inotify_add_watch " + dir + ": errno " + e);
      }
      return wd;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("inotify_add_watch failed", t);
    }
  }

  /**
   * Blocks until an event is queued, {@link #wakeUp} is called, or {@code timeoutMillis} passes, in
   * the kernel (no CPU spent waiting). Returns true if something is ready.
   */
  public boolean await(int timeoutMillis) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment err = LinuxCalls.captureSegment(a);
      MemorySegment pollfds = a.allocate(16, 4);
      pollfds.set(JAVA_INT, 0, fd);
      pollfds.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, (short) 1); // POLLIN
      pollfds.set(JAVA_INT, 8, wakeFd);
      pollfds.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 12, (short) 1);
      int r = (int) LinuxCalls.POLL.invokeExact(err, pollfds, 2L, timeoutMillis);
      if (r < 0) {
        int e = LinuxCalls.errno(err);
        if (e == LinuxCalls.EINTR) {
          return false;
        }
        throw new IOException("poll inotify: errno " + e);
      }
      return r > 0;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("poll failed", t);
    }
  }

  /** Reads the events queued now (none if the queue is empty); never blocks. */
  public java.util.List<Event> poll() throws IOException {
    java.util.List<Event> events = new java.util.ArrayList<>();
    while (true) {
      long n;
      try {
        n = (long) LinuxCalls.READ.invokeExact(errno, fd, buffer, buffer.byteSize());
      } catch (Throwable t) {
        throw new IllegalStateException("read of inotify failed", t);
      }
      if (n < 0) {
        int e = LinuxCalls.errno(errno);
        if (e == LinuxCalls.EAGAIN) {
          return events;
        }
        if (e == LinuxCalls.EINTR) {
          continue;
        }
        throw new IOException("read inotify: errno " + e);
      }
      long off = 0;
      while (off + 16 <= n) {
        int wd = buffer.get(JAVA_INT, off);
        int mask = buffer.get(JAVA_INT, off + 4);
        int len = buffer.get(JAVA_INT, off + 12);
        String name = null;
        if (len > 0) {
          byte[] raw = buffer.asSlice(off + 16, len).toArray(JAVA_BYTE);
          int end = 0;
          while (end < raw.length && raw[end] != 0) {
            end++;
          }
          name = new String(raw, 0, end, StandardCharsets.UTF_8);
        }
        events.add(new Event(wd, mask, name));
        off += 16 + len;
      }
    }
  }

  /** Makes a thread blocked in {@link #await} return now (and every later await, at once). */
  public void wakeUp() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment one = a.allocate(8, 8);
      one.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 1L);
      long n = (long) LinuxCalls.WRITE.invokeExact(LinuxCalls.captureSegment(a), wakeFd, one, 8L);
      assert n == 8 || n == -1;
    } catch (Throwable t) {
      // The reader still returns within its timeout.
    }
  }

  /** Closes the descriptors; no thread may be in {@link #await} or {@link #poll} any more. */
  @Override
  public void close() {
    LinuxCalls.close(fd);
    LinuxCalls.close(wakeFd);
    arena.close();
  }
}
