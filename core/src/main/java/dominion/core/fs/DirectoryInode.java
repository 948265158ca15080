package dominion.core.fs;

/** A directory. Its mtime is kept for export but never compared: entries change it. */
public record DirectoryInode(int mode, int uid, int gid, long mtimeNanos) implements Inode {
  public DirectoryInode {
    Inode.checkMode(mode, FileType.DIRECTORY);
  }

  /** A directory with the given permission bits. */
  public static DirectoryInode of(int permissions, int uid, int gid, long mtimeNanos) {
    return new DirectoryInode(FileType.DIRECTORY.bits() | permissions, uid, gid, mtimeNanos);
  }
}
