package dominion.core.fs;

import java.util.Objects;

/** A symbolic link. Its mtime is kept for export but never compared. */
public record SymlinkInode(int mode, int uid, int gid, long mtimeNanos, String target)
    implements Inode {
  public SymlinkInode {
    Inode.checkMode(mode, FileType.SYMLINK);
    Objects.requireNonNull(target, "target");
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("bad symlink target \"" + target + "\"");
    }
  }

  /** A symlink owned by {@code uid:gid}, mode 0777 as Linux makes them. */
  public static SymlinkInode of(int uid, int gid, long mtimeNanos, String target) {
    return new SymlinkInode(FileType.SYMLINK.bits() | 0777, uid, gid, mtimeNanos, target);
  }
}
