package dominion.core.fs;

import java.util.Locale;

/**
 * One inode of a file tree. {@code mode} is the full {@code st_mode} (type bits and permissions);
 * {@code mtimeNanos} is nanoseconds since the epoch. Entries that share an inode (hard links) share
 * one Inode instance and one inode number.
 */
public sealed interface Inode permits DirectoryInode, RegularInode, SymlinkInode, SpecialInode {
  int mode();

  int uid();

  int gid();

  long mtimeNanos();

  /** The type, from the mode's type bits. */
  default FileType type() {
    return FileType.ofMode(mode());
  }

  /** The permission bits (with setuid, setgid and sticky). */
  default int permissions() {
    return mode() & FileType.PERMISSION_MASK;
  }

  /** Checks that the mode's type bits agree with the record's kind. */
  static int checkMode(int mode, FileType want) {
    if ((mode & FileType.TYPE_MASK) != want.bits()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "bad mode 0%o for a %s inode",
              mode,
              want.name().toLowerCase(Locale.ROOT)));
    }
    return mode;
  }
}
