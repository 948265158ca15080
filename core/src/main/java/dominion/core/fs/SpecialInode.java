package dominion.core.fs;

import java.util.Locale;

/**
 * A character or block device (identified by {@code rdev}, the kernel's encoded device number) or a
 * FIFO (rdev 0).
 */
public record SpecialInode(int mode, int uid, int gid, long mtimeNanos, long rdev)
    implements Inode {
  public SpecialInode {
    if (!FileType.ofMode(mode).isSpecial()) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "bad mode 0%o for a special inode", mode));
    }
  }

  /** Linux's encoding of a device number from its major and minor parts. */
  public static long makeDev(long major, long minor) {
    return ((major & 0xfffff000L) << 32)
        | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12)
        | (minor & 0xffL);
  }

  public static long major(long rdev) {
    return ((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL);
  }

  public static long minor(long rdev) {
    return ((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL);
  }
}
