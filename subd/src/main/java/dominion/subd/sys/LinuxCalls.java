package dominion.subd.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The few Linux calls subd needs beyond {@link dominion.core.fs.Posix}: {@code syncfs} (one flush
 * of a whole file system instead of an fsync per file) and {@code inotify}. Through the
 * foreign-function API; needs {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class LinuxCalls {
  static final int O_RDONLY = 0;
  static final int O_DIRECTORY = 0200000;
  static final int O_CLOEXEC = 02000000;
  static final int IN_NONBLOCK = 04000;
  static final int IN_CLOEXEC = 02000000;
  static final int EAGAIN = 11;
  static final int EINTR = 4;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private static final MethodHandle OPEN =
      handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle CLOSE =
      handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle SYNCFS =
      handle("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  static final MethodHandle INOTIFY_INIT1 =
      handle("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  static final MethodHandle INOTIFY_ADD_WATCH =
      handle("inotify_add_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  static final MethodHandle POLL =
      handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  static final MethodHandle EVENTFD =
      handle("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  static final MethodHandle WRITE =
      handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  static final MethodHandle READ =
      handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

  private LinuxCalls() {}

  /**
   * Flushes every dirty page and inode of the file system holding {@code path} to disk: one call
   * where an fsync per file would cost a disk round trip each.
   */
  public static void syncfs(Path path) throws IOException {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int r = (int) SYNCFS.invokeExact(errno, fd);
      if (r != 0) {
        throw new IOException("syncfs " + path + ": errno " + errno(errno));
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("syncfs failed", t);
    } finally {
      close(fd);
    }
  }

  static int open(Path path, int flags) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int fd =
          (int)
              OPEN.invokeExact(
                  errno, arena.allocateFrom(path.toString(), StandardCharsets.UTF_8), flags);
      if (fd < 0) {
        throw new IOException("open " + path + ": errno " + errno(errno));
      }
      return fd;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("open failed", t);
    }
  }

  static void close(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      int r = (int) CLOSE.invokeExact(arena.allocate(CAPTURE), fd);
      assert r == 0 || r == -1;
    } catch (Throwable t) {
      // Nothing to do about a failed close of a descriptor we only read.
    }
  }

  static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  static MemorySegment captureSegment(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library lacks " + name));
    return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
  }
}
