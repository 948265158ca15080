package dominion.dominator.diff;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import java.nio.charset.StandardCharsets;

/** Small hand-built trees for diff tests: a fluent builder with defaults (root:root, 0644). */
final class Trees {
  static final long MTIME = 1_700_000_000_000_000_000L;

  private final FileTree.Builder builder = new FileTree.Builder();
  private long nextInum = 2;

  private Trees(int rootMode) {
    builder.add("/", 1, DirectoryInode.of(rootMode, 0, 0, MTIME));
  }

  static Trees tree() {
    return new Trees(0755);
  }

  static Trees treeWithRootMode(int mode) {
    return new Trees(mode);
  }

  static Hash hash(String content) {
    return Hash.of(content.getBytes(StandardCharsets.UTF_8));
  }

  static RegularInode file(String content) {
    return RegularInode.of(0644, 0, 0, MTIME, content.length(), hash(content));
  }

  Trees dir(String path) {
    return dir(path, 0755, 0, 0);
  }

  Trees dir(String path, int perms, int uid, int gid) {
    return add(path, DirectoryInode.of(perms, uid, gid, MTIME));
  }

  Trees file(String path, String content) {
    return add(path, file(content));
  }

  Trees add(String path, Inode inode) {
    builder.add(path, nextInum++, inode);
    return this;
  }

  /** Adds {@code path} as a hard link to the inode added at {@code inum}-order position. */
  Trees link(String path, long inum, Inode inode) {
    builder.add(path, inum, inode);
    return this;
  }

  /** The inode number the next {@link #add} will use. */
  long nextInum() {
    return nextInum;
  }

  Trees symlink(String path, String target) {
    return add(path, SymlinkInode.of(0, 0, MTIME, target));
  }

  Trees device(String path, long rdev) {
    return add(path, new SpecialInode(FileType.CHAR_DEVICE.bits() | 0600, 0, 0, MTIME, rdev));
  }

  FileTree build() {
    return builder.build();
  }
}
