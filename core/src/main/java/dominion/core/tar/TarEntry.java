package dominion.core.tar;

import java.util.Map;

/**
 * One archive member after its extended headers (PAX, GNU long names) are applied.
 *
 * @param ordinal the member's position among the archive's members, from 0
 * @param name the member's name as stored (not yet normalised)
 * @param type the typeflag byte ({@code '0'} regular, {@code '5'} directory, ...)
 * @param mode permission bits only
 * @param size bytes of data that follow the header
 * @param linkName the symlink target or hard-link target name, or "" when there is none
 * @param xattrs extended attributes by name ({@code security.capability}), raw values
 */
record TarEntry(
    int ordinal,
    String name,
    byte type,
    int mode,
    long uid,
    long gid,
    long size,
    long mtimeNanos,
    String linkName,
    long devMajor,
    long devMinor,
    Map<String, byte[]> xattrs) {
  static final byte REGULAR = '0';
  static final byte OLD_REGULAR = 0;
  static final byte HARD_LINK = '1';
  static final byte SYMLINK = '2';
  static final byte CHAR_DEVICE = '3';
  static final byte BLOCK_DEVICE = '4';
  static final byte DIRECTORY = '5';
  static final byte FIFO = '6';
  static final byte CONTIGUOUS = '7';
  static final byte PAX = 'x';
  static final byte PAX_GLOBAL = 'g';
  static final byte GNU_LONG_NAME = 'L';
  static final byte GNU_LONG_LINK = 'K';
  static final byte GNU_DUMPDIR = 'D';
  static final byte GNU_VOLUME = 'V';
  static final byte GNU_SPARSE = 'S';

  TarEntry {
    xattrs = Map.copyOf(xattrs);
  }

  /** True for a regular file, including the old forms; false for a V7 directory "name/". */
  boolean isRegular() {
    return (type == REGULAR || type == OLD_REGULAR || type == CONTIGUOUS) && !name.endsWith("/");
  }

  boolean isDirectory() {
    return type == DIRECTORY
        || type == GNU_DUMPDIR
        || ((type == REGULAR || type == OLD_REGULAR) && name.endsWith("/"));
  }

  /** The type as a printable word, for messages. */
  String typeName() {
    if (isDirectory()) {
      return "directory";
    }
    if (isRegular()) {
      return "regular file";
    }
    return switch (type) {
      case HARD_LINK -> "hard link";
      case SYMLINK -> "symlink";
      case CHAR_DEVICE -> "character device";
      case BLOCK_DEVICE -> "block device";
      case FIFO -> "FIFO";
      default -> "entry of type '" + (char) type + "'";
    };
  }
}
