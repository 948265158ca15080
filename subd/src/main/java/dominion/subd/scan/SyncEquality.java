package dominion.subd.scan;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Inode;
import dominion.core.fs.SymlinkInode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether two scans describe the same tree for the purpose of syncing it: {@link FileTree#equals}
 * except that directory and symlink mtimes are ignored (a file created and removed again moves its
 * directory's mtime; neither is ever set by an update, so neither is worth a new generation).
 */
final class SyncEquality {
  private SyncEquality() {}

  static boolean same(FileTree a, FileTree b) {
    List<Entry> x = a.entries();
    List<Entry> y = b.entries();
    if (x.size() != y.size()) {
      return false;
    }
    Map<Long, Long> inums = new HashMap<>();
    Map<Long, Long> reverse = new HashMap<>();
    for (int i = 0; i < x.size(); i++) {
      Entry ea = x.get(i);
      Entry eb = y.get(i);
      if (!ea.path().equals(eb.path()) || !sameInode(ea.inode(), eb.inode())) {
        return false;
      }
      Long mapped = inums.putIfAbsent(ea.inum(), eb.inum());
      Long back = reverse.putIfAbsent(eb.inum(), ea.inum());
      if ((mapped != null && mapped != eb.inum()) || (back != null && back != ea.inum())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameInode(Inode a, Inode b) {
    return switch (a) {
      case DirectoryInode d ->
          b instanceof DirectoryInode e
              && d.mode() == e.mode()
              && d.uid() == e.uid()
              && d.gid() == e.gid();
      case SymlinkInode s ->
          b instanceof SymlinkInode t
              && s.mode() == t.mode()
              && s.uid() == t.uid()
              && s.gid() == t.gid()
              && s.target().equals(t.target());
      default -> a.equals(b);
    };
  }
}
