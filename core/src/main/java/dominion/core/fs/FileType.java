package dominion.core.fs;

import java.util.Locale;

/** The kinds of inode a tree holds, with their POSIX {@code st_mode} type bits. */
public enum FileType {
  DIRECTORY(0040000),
  REGULAR(0100000),
  SYMLINK(0120000),
  CHAR_DEVICE(0020000),
  BLOCK_DEVICE(0060000),
  FIFO(0010000);

  /** Mask of the type bits in {@code st_mode}. */
  public static final int TYPE_MASK = 0170000;

  /** Mask of the permission bits (with setuid, setgid and sticky) in {@code st_mode}. */
  public static final int PERMISSION_MASK = 07777;

  private final int bits;

  FileType(int bits) {
    this.bits = bits;
  }

  /** The type bits, e.g. {@code 0100000} for a regular file. */
  public int bits() {
    return bits;
  }

  /**
   * The type named by a full {@code st_mode}.
   *
   * @throws IllegalArgumentException for sockets and unknown types, which trees never hold
   */
  public static FileType ofMode(int mode) {
    int t = mode & TYPE_MASK;
    for (FileType type : values()) {
      if (type.bits == t) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        String.format(Locale.ROOT, "unsupported file type in mode 0%o", mode));
  }

  /** True for character and block devices and FIFOs: inodes described by mode and rdev alone. */
  public boolean isSpecial() {
    return this == CHAR_DEVICE || this == BLOCK_DEVICE || this == FIFO;
  }
}
