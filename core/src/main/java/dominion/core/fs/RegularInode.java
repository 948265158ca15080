package dominion.core.fs;

import dominion.core.hash.Hash;
import java.util.Objects;

/**
 * A regular file: its content is the object named {@code hash}, {@code size} bytes long.
 *
 * @param capability the raw {@code security.capability} extended attribute, as lowercase hex, or
 *     null when the file has none
 */
public record RegularInode(
    int mode, int uid, int gid, long mtimeNanos, long size, Hash hash, String capability)
    implements Inode {
  public RegularInode {
    Inode.checkMode(mode, FileType.REGULAR);
    Objects.requireNonNull(hash, "hash");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  /** A regular file with the given permission bits and no capability. */
  public static RegularInode of(
      int permissions, int uid, int gid, long mtimeNanos, long size, Hash hash) {
    return new RegularInode(
        FileType.REGULAR.bits() | permissions, uid, gid, mtimeNanos, size, hash, null);
  }
}
