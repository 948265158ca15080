package dominion.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The Linux file system calls Java lacks, through the foreign-function API: {@code statx}, extended
 * attributes, {@code mknod}, {@code lchown}, {@code chmod} with setuid bits, {@code utimensat} on
 * symlinks, and byte-exact {@code symlink}/{@code readlink}. Needs {@code
 * --enable-native-access=ALL-UNNAMED}. None of these follow a final symlink except {@link #chmod}.
 *
 * <p>Failures raise {@link NoSuchFileException} when the path (or a parent) does not exist and
 * {@link PosixException} (with the errno and the C library's text) otherwise. Thread-safe: every
 * call allocates its own native memory.
 */
public final class Posix {
  /** Name of the extended attribute that holds file capabilities. */
  public static final String CAPABILITY_XATTR = "security.capability";

  /** File names are bytes on Linux; the JDK maps them to strings with this charset. */
  private static final Charset NAMES = namesCharset();

  private static final HexFormat HEX = HexFormat.of();

  private Posix() {}

  /**
   * What {@code lstat} says about an inode. {@code mode} holds the type bits; times are nanoseconds
   * since the epoch; {@code dev} and {@code rdev} use the kernel's encoding (see {@link
   * SpecialInode#makeDev}).
   */
  public record Stat(
      long dev,
      long ino,
      int mode,
      int nlink,
      int uid,
      int gid,
      long rdev,
      long size,
      long mtimeNanos,
      long ctimeNanos) {
    public boolean isDirectory() {
      return (mode & FileType.TYPE_MASK) == FileType.DIRECTORY.bits();
    }

    public boolean isRegular() {
      return (mode & FileType.TYPE_MASK) == FileType.REGULAR.bits();
    }

    public boolean isSymlink() {
      return (mode & FileType.TYPE_MASK) == FileType.SYMLINK.bits();
    }

    /** True for sockets (type bits {@code 0140000}), which trees never hold. */
    public boolean isSocket() {
      return (mode & FileType.TYPE_MASK) == 0140000;
    }

    /** The permission bits with setuid, setgid and sticky. */
    public int permissions() {
      return mode & FileType.PERMISSION_MASK;
    }
  }

  /**
   * {@code lstat(2)} through {@code statx}: about a microsecond, ten times faster than {@code
   * Files.readAttributes(p, "unix:*")}. Falls back to the latter where the kernel or a seccomp
   * filter refuses {@code statx}.
   */
  public static Stat lstat(Path path) throws IOException {
    return lstat(path, false);
  }

  /**
   * Like {@link #lstat}, but null when the path (or a parent) does not exist. Without an exception:
   * callers ask about paths that are often missing (an update asks about each of its new files),
   * and an exception (its stack trace, strerror's text) costs several times the system call.
   */
  public static Stat lstatIfExists(Path path) throws IOException {
    return lstat(path, true);
  }

  private static Stat lstat(Path path, boolean nullIfMissing) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(Libc.CAPTURE_LAYOUT);
      MemorySegment buf = arena.allocate(Libc.STATX_SIZE, 8);
      int r;
      try {
        r =
            (int)
                Libc.STATX.invokeExact(
                    errno,
                    Libc.AT_FDCWD,
                    cString(arena, path),
                    Libc.AT_SYMLINK_NOFOLLOW,
                    Libc.STATX_BASIC_STATS,
                    buf);
      } catch (Throwable t) {
        throw rethrow(t);
      }
      if (r != 0) {
        int e = Libc.errno(errno);
        if (e == Libc.ENOSYS || e == Libc.EPERM) {
          // No statx (old kernel), or a seccomp filter refusing it (old container runtimes).
          try {
            return lstatByJdk(path);
          } catch (NoSuchFileException missing) {
            if (nullIfMissing) {
              return null;
            }
            throw missing;
          }
        }
        if (nullIfMissing && (e == Libc.ENOENT || e == Libc.ENOTDIR)) {
          return null;
        }
        throw failure("lstat", path, e);
      }
      return new Stat(
          SpecialInode.makeDev(
              Integer.toUnsignedLong(buf.get(JAVA_INT, Libc.STX_DEV_MAJOR)),
              Integer.toUnsignedLong(buf.get(JAVA_INT, Libc.STX_DEV_MINOR))),
          buf.get(JAVA_LONG, Libc.STX_INO),
          Short.toUnsignedInt(buf.get(JAVA_SHORT, Libc.STX_MODE)),
          buf.get(JAVA_INT, Libc.STX_NLINK),
          buf.get(JAVA_INT, Libc.STX_UID),
          buf.get(JAVA_INT, Libc.STX_GID),
          SpecialInode.makeDev(
              Integer.toUnsignedLong(buf.get(JAVA_INT, Libc.STX_RDEV_MAJOR)),
              Integer.toUnsignedLong(buf.get(JAVA_INT, Libc.STX_RDEV_MINOR))),
          buf.get(JAVA_LONG, Libc.STX_SIZE),
          nanos(buf, Libc.STX_MTIME),
          nanos(buf, Libc.STX_CTIME));
    }
  }

  /**
   * The file's {@code security.capability} attribute as lowercase hex, or null when it has none or
   * the file system has no extended attributes. Does not follow a symlink.
   */
  public static String getCapability(Path path) throws IOException {
    byte[] value = getXattr(path, CAPABILITY_XATTR);
    return value == null ? null : HEX.formatHex(value);
  }

  /**
   * Sets the file's {@code security.capability} attribute from hex, or removes it when {@code hex}
   * is null (no error if it had none). Needs CAP_SETFCAP. Does not follow a symlink.
   */
  public static void setCapability(Path path, String hex) throws IOException {
    if (hex == null) {
      removeXattr(path, CAPABILITY_XATTR);
    } else {
      setXattr(path, CAPABILITY_XATTR, HEX.parseHex(hex));
    }
  }

  /**
   * The raw value of an extended attribute ({@code lgetxattr}), or null when it is absent or the
   * file system does not support extended attributes.
   */
  public static byte[] getXattr(Path path, String name) throws IOException {
    long size = 256;
    while (true) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment errno = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment buf = arena.allocate(size);
        long n;
        try {
          n =
              (long)
                  Libc.LGETXATTR.invokeExact(
                      errno, cString(arena, path), arena.allocateFrom(name), buf, size);
        } catch (Throwable t) {
          throw rethrow(t);
        }
        if (n >= 0) {
          return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
        int e = Libc.errno(errno);
        if (e == Libc.ENODATA || e == Libc.EOPNOTSUPP) {
          return null;
        }
        if (e != Libc.ERANGE || size >= 65536) {
          throw failure("lgetxattr " + name, path, e);
        }
        size = 65536;
      }
    }
  }

  /** Sets an extended attribute ({@code lsetxattr}), creating or replacing it. */
  public static void setXattr(Path path, String name, byte[] value) throws IOException {
    call(
        "lsetxattr " + name,
        path,
        (arena, errno) -> {
          MemorySegment buf = arena.allocate(Math.max(1, value.length));
          MemorySegment.copy(value, 0, buf, JAVA_BYTE, 0, value.length);
          return (int)
              Libc.LSETXATTR.invokeExact(
                  errno,
                  cString(arena, path),
                  arena.allocateFrom(name),
                  buf,
                  (long) value.length,
                  0);
        });
  }

  /** Removes an extended attribute ({@code lremovexattr}); no error if it is absent. */
  public static void removeXattr(Path path, String name) throws IOException {
    int e =
        errnoOf(
            (arena, errno) ->
                (int)
                    Libc.LREMOVEXATTR.invokeExact(
                        errno, cString(arena, path), arena.allocateFrom(name)));
    if (e != SUCCEEDED && e != Libc.ENODATA) {
      throw failure("lremovexattr " + name, path, e);
    }
  }

  /**
   * Makes a character or block device or a FIFO ({@code mknod}). {@code mode} is the full {@code
   * st_mode} with type bits (the umask applies to the permissions; {@link #chmod} after).
   */
  public static void mknod(Path path, int mode, long rdev) throws IOException {
    FileType type = FileType.ofMode(mode);
    if (!type.isSpecial()) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "mknod %s: mode 0%o is not a device or FIFO", path, mode));
    }
    call(
        "mknod",
        path,
        (arena, errno) -> (int) Libc.MKNOD.invokeExact(errno, cString(arena, path), mode, rdev));
  }

  /** Changes the owner of the path itself, not a symlink's target ({@code lchown}). */
  public static void lchown(Path path, int uid, int gid) throws IOException {
    call(
        "lchown",
        path,
        (arena, errno) -> (int) Libc.LCHOWN.invokeExact(errno, cString(arena, path), uid, gid));
  }

  /**
   * Sets permission bits including setuid, setgid and sticky ({@code chmod}), which {@code
   * Files.setPosixFilePermissions} cannot. Follows symlinks: callers check the type first.
   */
  public static void chmod(Path path, int permissions) throws IOException {
    call(
        "chmod",
        path,
        (arena, errno) ->
            (int)
                Libc.CHMOD.invokeExact(
                    errno, cString(arena, path), permissions & FileType.PERMISSION_MASK));
  }

  /**
   * Sets the modification time (nanoseconds since the epoch) of the path itself, symlinks included
   * ({@code utimensat} with {@code AT_SYMLINK_NOFOLLOW}); the access time is left alone.
   */
  public static void setMtime(Path path, long mtimeNanos) throws IOException {
    call(
        "utimensat",
        path,
        (arena, errno) -> {
          MemorySegment times = arena.allocate(32, 8);
          times.set(JAVA_LONG, 0, 0);
          times.set(JAVA_LONG, 8, Libc.UTIME_OMIT);
          times.set(JAVA_LONG, 16, Math.floorDiv(mtimeNanos, 1_000_000_000L));
          times.set(JAVA_LONG, 24, Math.floorMod(mtimeNanos, 1_000_000_000L));
          return (int)
              Libc.UTIMENSAT.invokeExact(
                  errno, Libc.AT_FDCWD, cString(arena, path), times, Libc.AT_SYMLINK_NOFOLLOW);
        });
  }

  /**
   * Renames {@code from} to {@code to} only if {@code to} does not exist ({@code renameat2} with
   * {@code RENAME_NOREPLACE}): one atomic call where {@code link} then {@code unlink} take two.
   * Returns false, having changed nothing, where the kernel or the file system lacks the flag (the
   * caller links instead).
   *
   * @throws FileAlreadyExistsException if {@code to} exists; nothing changed
   */
  public static boolean renameNoReplace(Path from, Path to) throws IOException {
    int e =
        errnoOf(
            (arena, errno) ->
                (int)
                    Libc.RENAMEAT2.invokeExact(
                        errno,
                        Libc.AT_FDCWD,
                        cString(arena, from),
                        Libc.AT_FDCWD,
                        cString(arena, to),
                        Libc.RENAME_NOREPLACE));
    if (e == SUCCEEDED) {
      return true;
    }
    if (e == Libc.EINVAL || e == Libc.ENOSYS) {
      return false;
    }
    String reason = Libc.strerror(e);
    if (e == Libc.EEXIST) {
      throw new FileAlreadyExistsException(to.toString(), null, "renameat2: " + reason);
    }
    if (e == Libc.ENOENT || e == Libc.ENOTDIR) {
      throw new NoSuchFileException(from.toString(), to.toString(), "renameat2: " + reason);
    }
    throw new PosixException("renameat2", from + " -> " + to, e, reason);
  }

  /**
   * Marks a directory as the top of a directory hierarchy ({@code chattr +T}, {@code
   * FS_TOPDIR_FL}). ext2, ext3 and ext4 place a directory made in it as they place one made in the
   * root, rather than beside its parent: in the block group with the fewest directories of those
   * with more free inodes and blocks than average, searched from a hash of its name. A file's inode
   * goes in its directory's group, so the files of each such directory start in a part of the disk
   * of their own. Returns false, having changed nothing, where the file system has no such flag.
   *
   * @throws NotDirectoryException if {@code dir} is not a directory (a symlink is not followed)
   */
  public static boolean markTopDirectory(Path dir) throws IOException {
    if (!lstat(dir).isDirectory()) {
      throw new NotDirectoryException(dir.toString());
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(Libc.CAPTURE_LAYOUT);
      int fd;
      try {
        fd =
            (int)
                Libc.OPEN.invokeExact(
                    errno, cString(arena, dir), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
      } catch (Throwable t) {
        throw rethrow(t);
      }
      if (fd < 0) {
        throw failure("open", dir, Libc.errno(errno));
      }
      try {
        MemorySegment flags = arena.allocate(JAVA_INT);
        int e =
            errnoOf((a, err) -> (int) Libc.IOCTL.invokeExact(err, fd, Libc.FS_IOC_GETFLAGS, flags));
        String call = "ioctl FS_IOC_GETFLAGS";
        if (e == SUCCEEDED) {
          int current = flags.get(JAVA_INT, 0);
          if ((current & Libc.FS_TOPDIR_FL) != 0) {
            return true;
          }
          flags.set(JAVA_INT, 0, current | Libc.FS_TOPDIR_FL);
          e =
              errnoOf(
                  (a, err) -> (int) Libc.IOCTL.invokeExact(err, fd, Libc.FS_IOC_SETFLAGS, flags));
          call = "ioctl FS_IOC_SETFLAGS";
        }
        if (e == SUCCEEDED) {
          return true;
        }
        // No flags at all (ENOTTY), or not this one (tmpfs, XFS: EOPNOTSUPP).
        if (e == Libc.ENOTTY || e == Libc.EOPNOTSUPP || e == Libc.EINVAL || e == Libc.ENOSYS) {
          return false;
        }
        throw failure(call, dir, e);
      } finally {
        // Nothing was written through it: close cannot lose anything.
        errnoOf((a, err) -> (int) Libc.CLOSE.invokeExact(err, fd));
      }
    }
  }

  /**
   * Makes a symlink whose target is exactly {@code target} ({@code Files.createSymbolicLink}
   * normalises the target as a path, turning {@code "a//b/"} into {@code "a/b"}).
   */
  public static void symlink(String target, Path link) throws IOException {
    call(
        "symlink",
        link,
        (arena, errno) ->
            (int)
                Libc.SYMLINK.invokeExact(
                    errno, arena.allocateFrom(target, NAMES), cString(arena, link)));
  }

  /** A symlink's target exactly as stored (unlike {@code Files.readSymbolicLink}). */
  public static String readlink(Path link) throws IOException {
    long size = 4096;
    while (true) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment errno = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment buf = arena.allocate(size);
        long n;
        try {
          n = (long) Libc.READLINK.invokeExact(errno, cString(arena, link), buf, size);
        } catch (Throwable t) {
          throw rethrow(t);
        }
        if (n < 0) {
          throw failure("readlink", link, Libc.errno(errno));
        }
        if (n < size) {
          byte[] bytes = buf.asSlice(0, n).toArray(JAVA_BYTE);
          return new String(bytes, NAMES);
        }
        size *= 4;
      }
    }
  }

  private static Stat lstatByJdk(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
    return new Stat(
        (Long) a.get("dev"),
        (Long) a.get("ino"),
        (Integer) a.get("mode"),
        (Integer) a.get("nlink"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("rdev"),
        (Long) a.get("size"),
        toNanos((FileTime) a.get("lastModifiedTime")),
        toNanos((FileTime) a.get("ctime")));
  }

  private static long toNanos(FileTime time) {
    var instant = time.toInstant();
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** A {@code struct statx_timestamp}: {@code __s64 tv_sec; __u32 tv_nsec;}. */
  private static long nanos(MemorySegment buf, long offset) {
    return buf.get(JAVA_LONG, offset) * 1_000_000_000L
        + Integer.toUnsignedLong(buf.get(JAVA_INT, offset + 8));
  }

  private static MemorySegment cString(Arena arena, Path path) {
    return arena.allocateFrom(path.toString(), NAMES);
  }

  /** A libc call that returns 0, or -1 with errno set (captured into {@code errno}). */
  @FunctionalInterface
  private interface IntCall {
    int call(Arena arena, MemorySegment errno) throws Throwable;
  }

  // What errnoOf returns for a call that succeeded (errno values are never negative).
  private static final int SUCCEEDED = -1;

  // Makes the call in an arena of its own: SUCCEEDED, or the errno of its failure.
  private static int errnoOf(IntCall call) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(Libc.CAPTURE_LAYOUT);
      int r;
      try {
        r = call.call(arena, errno);
      } catch (Throwable t) {
        throw rethrow(t);
      }
      return r == 0 ? SUCCEEDED : Libc.errno(errno);
    }
  }

  // Makes the call; a failure says what failed on which path.
  private static void call(String what, Path path, IntCall call) throws IOException {
    int e = errnoOf(call);
    if (e != SUCCEEDED) {
      throw failure(what, path, e);
    }
  }

  private static IOException failure(String call, Path path, int errno) {
    String reason = Libc.strerror(errno);
    if (errno == Libc.ENOENT || errno == Libc.ENOTDIR) {
      return new NoSuchFileException(path.toString(), null, call + ": " + reason);
    }
    return new PosixException(call, path.toString(), errno, reason);
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("native call failed", t);
  }

  private static Charset namesCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
