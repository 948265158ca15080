package dominion.core.tar;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreePaths;
import dominion.core.hash.Hash;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns archive members, in archive order, into a {@link FileTree} the way extracting them into an
 * empty directory would, but refusing what would be unsafe or ambiguous:
 *
 * <ul>
 *   <li>names are normalised ({@code ./a//b} is {@code /a/b}, a leading {@code /} is dropped as GNU
 *       tar does); a {@code ..} that leaves the tree is an error;
 *   <li>missing parent directories are made, 0755 root:root; a parent that is a symlink is an error
 *       (the entry would be written through it), as is one that is not a directory;
 *   <li>a later member with the same name replaces the earlier one, as tar does, except that
 *       nothing but a directory may replace a directory that has entries;
 *   <li>a hard link names an earlier member and shares its inode; one to a missing member or a
 *       directory is an error;
 *   <li>the root comes from a {@code ./} member if there is one, else 0755 root:root.
 * </ul>
 */
final class TarTreeBuilder {
  private static final HexFormat HEX = HexFormat.of();

  private final String label;
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Integer> children = new HashMap<>();
  private DirectoryInode root = DirectoryInode.of(0755, 0, 0, 0);
  private long nextInum = 1;

  private record Node(long inum, Inode inode) {}

  /**
   * @param label the archive's name, to start error messages
   */
  TarTreeBuilder(String label) {
    this.label = label;
  }

  /**
   * Adds a member.
   *
   * @param hash the SHA-512 of a regular file's data; null for other types
   */
  void add(TarEntry e, Hash hash) throws BadArchiveException {
    if (e.type() == TarEntry.GNU_VOLUME) {
      return; // a volume label, not a file
    }
    String where = "entry \"" + e.name() + "\" (#" + e.ordinal() + ")";
    String path = normalize(e.name(), where, "its name");
    if (path.equals(TreePaths.ROOT)) {
      if (!e.isDirectory()) {
        throw bad(where + " would replace the root directory with a " + e.typeName());
      }
      root = (DirectoryInode) inode(e, where, null);
      return;
    }
    makeParents(path, where);
    long inum;
    Inode inode;
    if (e.type() == TarEntry.HARD_LINK) {
      String target = normalize(e.linkName(), where, "its link target");
      Node t = nodes.get(target);
      if (t == null) {
        throw bad(
            where
                + " is a hard link to \""
                + e.linkName()
                + "\", which is not an earlier entry of the archive");
      }
      if (t.inode() instanceof DirectoryInode) {
        throw bad(where + " is a hard link to the directory \"" + e.linkName() + "\"");
      }
      if (target.equals(path)) {
        return; // a link to itself changes nothing
      }
      inum = t.inum();
      inode = t.inode();
    } else {
      inum = nextInum++;
      inode = inode(e, where, hash);
    }
    Node old = nodes.get(path);
    if (old != null
        && old.inode() instanceof DirectoryInode
        && !(inode instanceof DirectoryInode)) {
      if (children.getOrDefault(path, 0) > 0) {
        throw bad(
            where
                + " would replace the directory "
                + path
                + ", which has entries, with a "
                + e.typeName());
      }
      children.remove(path);
    }
    if (old == null) {
      children.merge(TreePaths.parent(path), 1, Integer::sum);
    }
    nodes.put(path, new Node(inum, inode));
  }

  /** The tree of everything added. */
  FileTree build() throws BadArchiveException {
    FileTree.Builder builder = new FileTree.Builder().add(TreePaths.ROOT, 0, root);
    for (Map.Entry<String, Node> n : nodes.entrySet()) {
      builder.add(n.getKey(), n.getValue().inum(), n.getValue().inode());
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private void makeParents(String path, String where) throws BadArchiveException {
    for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String dir = path.substring(0, slash);
      Node n = nodes.get(dir);
      if (n == null) {
        nodes.put(dir, new Node(nextInum++, DirectoryInode.of(0755, 0, 0, 0)));
        children.merge(TreePaths.parent(dir), 1, Integer::sum);
      } else if (n.inode() instanceof SymlinkInode) {
        throw bad(
            where
                + " goes through the symlink "
                + dir
                + "; refusing to write through a symlink (it could lead outside the tree)");
      } else if (!(n.inode() instanceof DirectoryInode)) {
        throw bad(where + " needs " + dir + " to be a directory, but the archive made it a file");
      }
    }
  }

  private Inode inode(TarEntry e, String where, Hash hash) throws BadArchiveException {
    int uid = id(e.uid(), "uid", where);
    int gid = id(e.gid(), "gid", where);
    int perm = e.mode() & FileType.PERMISSION_MASK;
    long mtime = e.mtimeNanos();
    if (e.isDirectory()) {
      return new DirectoryInode(FileType.DIRECTORY.bits() | perm, uid, gid, mtime);
    }
    if (e.isRegular()) {
      byte[] cap = e.xattrs().get(Posix.CAPABILITY_XATTR);
      return new RegularInode(
          FileType.REGULAR.bits() | perm,
          uid,
          gid,
          mtime,
          e.size(),
          hash,
          cap == null ? null : HEX.formatHex(cap));
    }
    return switch (e.type()) {
      case TarEntry.SYMLINK -> {
        if (e.linkName().isEmpty()) {
          throw bad(where + " is a symlink with an empty target");
        }
        // Linux gives every symlink mode 0777, whatever the archive says.
        yield SymlinkInode.of(uid, gid, mtime, e.linkName());
      }
      case TarEntry.CHAR_DEVICE, TarEntry.BLOCK_DEVICE -> {
        FileType type =
            e.type() == TarEntry.CHAR_DEVICE ? FileType.CHAR_DEVICE : FileType.BLOCK_DEVICE;
        long major = id(e.devMajor(), "device major", where) & 0xffffffffL;
        long minor = id(e.devMinor(), "device minor", where) & 0xffffffffL;
        yield new SpecialInode(
            type.bits() | perm, uid, gid, mtime, SpecialInode.makeDev(major, minor));
      }
      case TarEntry.FIFO -> new SpecialInode(FileType.FIFO.bits() | perm, uid, gid, mtime, 0);
      default -> throw bad(where + " has the unsupported type '" + (char) e.type() + "'");
    };
  }

  private String normalize(String name, String where, String what) throws BadArchiveException {
    try {
      return TreePaths.normalize(name);
    } catch (IllegalArgumentException e) {
      throw bad(where + ": " + what + " is unsafe: " + e.getMessage());
    }
  }

  private int id(long value, String what, String where) throws BadArchiveException {
    if (value < 0 || value > 0xffffffffL) {
      throw bad(where + ": " + what + " " + value + " is out of range");
    }
    return (int) value;
  }

  private BadArchiveException bad(String what) {
    return new BadArchiveException("bad archive " + label + ": " + what);
  }
}
