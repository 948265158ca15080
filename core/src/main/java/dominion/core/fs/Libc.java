package dominion.core.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles for the glibc functions {@link Posix} uses. Every handle except {@link
 * #STRERROR} takes the errno capture segment as its first argument. C types on 64-bit Linux: {@code
 * size_t}, {@code ssize_t} and {@code dev_t} are {@code long}; {@code mode_t}, {@code uid_t} and
 * {@code gid_t} are {@code int}.
 */
@SuppressWarnings("restricted") // native access is the point; the build enables it
final class Libc {
  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int RENAME_NOREPLACE = 1;
  static final int STATX_BASIC_STATS = 0x7ff;
  static final long UTIME_OMIT = (1L << 30) - 2;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 02000000;
  // _IOR('f', 1, long) and _IOW('f', 2, long), as encoded on x86-64 and arm64; the kernel reads and
  // writes an int.
  static final long FS_IOC_GETFLAGS = 0x80086601L;
  static final long FS_IOC_SETFLAGS = 0x40086602L;
  static final int FS_TOPDIR_FL = 0x00020000;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int EINVAL = 22;
  static final int ENOTTY = 25;
  static final int ERANGE = 34;
  static final int ENOSYS = 38;
  static final int ENODATA = 61;
  static final int EOPNOTSUPP = 95;

  /** Size of {@code struct statx}; the offsets below are from {@code linux/stat.h}. */
  static final long STATX_SIZE = 256;

  static final long STX_NLINK = 16;
  static final long STX_UID = 20;
  static final long STX_GID = 24;
  static final long STX_MODE = 28;
  static final long STX_INO = 32;
  static final long STX_SIZE = 40;
  static final long STX_CTIME = 96;
  static final long STX_MTIME = 112;
  static final long STX_RDEV_MAJOR = 128;
  static final long STX_RDEV_MINOR = 132;
  static final long STX_DEV_MAJOR = 136;
  static final long STX_DEV_MINOR = 140;

  static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  static final MethodHandle STATX =
      errnoHandle(
          "statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
  static final MethodHandle LGETXATTR =
      errnoHandle(
          "lgetxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
  static final MethodHandle LSETXATTR =
      errnoHandle(
          "lsetxattr",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
  static final MethodHandle LREMOVEXATTR =
      errnoHandle("lremovexattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle MKNOD =
      errnoHandle("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
  static final MethodHandle LCHOWN =
      errnoHandle("lchown", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  static final MethodHandle CHMOD =
      errnoHandle("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  static final MethodHandle UTIMENSAT =
      errnoHandle(
          "utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
  static final MethodHandle RENAMEAT2 =
      errnoHandle(
          "renameat2",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
  static final MethodHandle SYMLINK =
      errnoHandle("symlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle READLINK =
      errnoHandle("readlink", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
  // open(path, flags, ...) and ioctl(fd, request, ...) are variadic: the mode and the argument are
  // passed as variadic arguments, as C passes them.
  static final MethodHandle OPEN =
      errnoHandle(
          "open",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          Linker.Option.firstVariadicArg(2));
  static final MethodHandle IOCTL =
      errnoHandle(
          "ioctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          Linker.Option.firstVariadicArg(2));
  static final MethodHandle CLOSE = errnoHandle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  static final MethodHandle STRERROR =
      LINKER.downcallHandle(find("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private Libc() {}

  /** The errno a call left in its capture segment. */
  static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  /** The C library's text for {@code errno}, e.g. "No such file or directory". */
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  private static MethodHandle errnoHandle(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(find(name), descriptor, Linker.Option.captureCallState("errno"));
  }

  private static MethodHandle errnoHandle(
      String name, FunctionDescriptor descriptor, Linker.Option variadic) {
    return LINKER.downcallHandle(
        find(name), descriptor, Linker.Option.captureCallState("errno"), variadic);
  }

  private static MemorySegment find(String name) {
    return LOOKUP
        .find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("the C library lacks " + name));
  }
}
