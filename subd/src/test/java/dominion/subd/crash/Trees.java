package dominion.subd.crash;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreeMaterializer;
import dominion.core.hash.Hash;
import dominion.core.objectstore.MemoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * An old tree and an image that changes nearly all of it, with the contents of both: every file of
 * {@code /usr/lib/dNN} rewritten (some with a new mode or owner), new directories of new files
 * (prepared in subd's staging directory), one content at forty paths (linked from the cache once,
 * then copied), metadata-only changes, a symlink retargeted, a file turned into a directory and the
 * reverse, a hard link, a deleted subtree, and a file nothing changes.
 */
final class Trees {
  static final long OLD_MTIME = 1_600_000_000_000_000_000L;
  static final long NEW_MTIME = 1_700_000_000_000_000_000L;

  final FileTree old;
  final FileTree image;
  final MemoryObjectStore objects = new MemoryObjectStore();
  private final Random random;

  /** The paths of regular files in both trees whose content the image changes, in tree order. */
  final java.util.List<String> rewritten = new java.util.ArrayList<>();

  private long oldInum = 1;
  private long newInum = 1;

  /**
   * @param dirs directories of rewritten files
   * @param filesPerDir files in each
   * @param newFiles files in new directories (spread over 5)
   * @param maxSize largest file, in bytes
   */
  Trees(int dirs, int filesPerDir, int newFiles, int maxSize, long seed) {
    random = new Random(seed);
    FileTree.Builder o = new FileTree.Builder();
    FileTree.Builder n = new FileTree.Builder();
    for (String d :
        new String[] {"/", "/etc", "/opt", "/usr", "/usr/bin", "/usr/lib", "/usr/share"}) {
      dirBoth(o, n, d, 0755);
    }
    for (int d = 0; d < dirs; d++) {
      String dir = String.format(java.util.Locale.ROOT, "/usr/lib/d%02d", d);
      dirBoth(o, n, dir, 0755);
      for (int f = 0; f < filesPerDir; f++) {
        String path = String.format(java.util.Locale.ROOT, "%s/f%03d", dir, f);
        o.add(path, oldInum++, file(content(maxSize), 0644, 0, 0, OLD_MTIME));
        int mode = f % 7 == 0 ? 0755 : 0644;
        int uid = f % 5 == 0 ? 3 : 0;
        n.add(path, newInum++, file(content(maxSize), mode, uid, uid, NEW_MTIME + f));
        rewritten.add(path);
      }
    }
    n.add("/usr/share/new", newInum++, DirectoryInode.of(0755, 0, 0, 0));
    for (int i = 0; i < newFiles; i++) {
      String dir = "/usr/share/new/n" + (i % 5);
      if (i < 5) {
        n.add(dir, newInum++, DirectoryInode.of(0750, 1, 1, 0));
      }
      n.add(dir + "/f" + i, newInum++, file(content(maxSize), 0644, 0, 0, NEW_MTIME));
    }
    // One content (8 times the largest other) at many paths: each path its own inode.
    byte[] same = new byte[maxSize * 8];
    random.nextBytes(same);
    Hash dup = objects.put(same);
    n.add("/usr/share/dup", newInum++, DirectoryInode.of(0755, 0, 0, 0));
    for (int i = 0; i < 40; i++) {
      n.add(
          "/usr/share/dup/f" + i,
          newInum++,
          RegularInode.of(0644, 0, 0, NEW_MTIME, same.length, dup));
    }
    for (int i = 0; i < 20; i++) {
      byte[] c = content(maxSize);
      Hash h = objects.put(c);
      o.add("/etc/meta" + i, oldInum++, RegularInode.of(0600, 0, 0, OLD_MTIME, c.length, h));
      n.add("/etc/meta" + i, newInum++, RegularInode.of(0640, 12, 34, NEW_MTIME, c.length, h));
    }
    RegularInode keep = file("unchanged\n".getBytes(StandardCharsets.UTF_8), 0644, 0, 0, OLD_MTIME);
    o.add("/etc/keep", oldInum++, keep);
    n.add("/etc/keep", newInum++, keep);
    o.add("/etc/link", oldInum++, SymlinkInode.of(0, 0, 0, "keep"));
    n.add("/etc/link", newInum++, SymlinkInode.of(0, 0, 0, "meta0"));
    // A file becomes a directory, and a directory a file.
    o.add("/opt/x", oldInum++, file(content(maxSize), 0644, 0, 0, OLD_MTIME));
    n.add("/opt/x", newInum++, DirectoryInode.of(0750, 0, 0, 0));
    n.add("/opt/x/inner", newInum++, file(content(maxSize), 0600, 0, 0, NEW_MTIME));
    o.add("/opt/y", oldInum++, DirectoryInode.of(0755, 0, 0, 0));
    o.add("/opt/y/inner", oldInum++, file(content(maxSize), 0644, 0, 0, OLD_MTIME));
    n.add("/opt/y", newInum++, file(content(maxSize), 0755, 0, 0, NEW_MTIME));
    // A hard link the image adds to a rewritten file.
    o.add("/usr/bin/tool", oldInum++, file(content(maxSize), 0755, 0, 0, OLD_MTIME));
    RegularInode tool = file(content(maxSize), 0755, 0, 0, NEW_MTIME);
    long toolInum = newInum++;
    n.add("/usr/bin/tool", toolInum, tool);
    n.add("/usr/bin/tool-alias", toolInum, tool);
    // A subtree the image deletes.
    o.add("/var", oldInum++, DirectoryInode.of(0755, 0, 0, 0));
    o.add("/var/old", oldInum++, DirectoryInode.of(0755, 0, 0, 0));
    for (int i = 0; i < 30; i++) {
      o.add("/var/old/g" + i, oldInum++, file(content(maxSize), 0644, 0, 0, OLD_MTIME));
    }
    old = o.build();
    image = n.build();
  }

  /** Writes the old tree into {@code root} (empty or absent), exactly. */
  void materializeOld(Path root) throws IOException {
    new TreeMaterializer(TreeMaterializer.Config.EXACT, objects).materialize(old, root);
  }

  private void dirBoth(FileTree.Builder o, FileTree.Builder n, String path, int mode) {
    o.add(path, oldInum++, DirectoryInode.of(mode, 0, 0, 0));
    n.add(path, newInum++, DirectoryInode.of(mode, 0, 0, 0));
  }

  private byte[] content(int maxSize) {
    byte[] b = new byte[1 + random.nextInt(maxSize)];
    random.nextBytes(b);
    return b;
  }

  private RegularInode file(byte[] content, int mode, int uid, int gid, long mtime) {
    return RegularInode.of(mode, uid, gid, mtime, content.length, objects.put(content));
  }
}
