package dominion.fleettest;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreeScanner;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An independent check that a sub's root holds an image, written without the dominator's diff:
 * every managed image path is on the sub with the same type, permissions, owner and group (and
 * content and mtime for files, target for symlinks); for an image with a filter, nothing else
 * managed is on the sub.
 */
final class TreeCheck {
  private TreeCheck() {}

  /** The sub root's tree as a scan sees it, without subd's state directory. */
  static FileTree scan(Path root) throws IOException {
    return new TreeScanner(
            new TreeScanner.Config(Filter.EMPTY, Set.of(root.resolve(".subd"))),
            dominion.core.fs.ContentHasher.sha512())
        .scan(root)
        .tree();
  }

  /**
   * How {@code root} differs from {@code image}; empty when it holds it.
   *
   * @param unmanaged filter lines the sub does not scan (its exclusions)
   */
  static List<String> differences(Image image, Path root, List<String> unmanaged)
      throws IOException {
    FileTree sub = scan(root);
    Filter excluded = Filter.parse(unmanaged);
    Filter filter = image.filter();
    List<String> out = new ArrayList<>();
    for (Entry want : image.tree().entries()) {
      String p = want.path();
      if ((filter != null && filter.matchWithAncestors(p)) || excluded.matchWithAncestors(p)) {
        continue;
      }
      Entry have = sub.get(p);
      if (have == null) {
        out.add("missing " + p);
      } else if (!same(want.inode(), have.inode())) {
        out.add("differs " + p + ": want " + want.inode() + ", have " + have.inode());
      }
    }
    if (filter != null) {
      for (Entry have : sub.entries()) {
        String p = have.path();
        if (image.tree().get(p) == null
            && !filter.matchWithAncestors(p)
            && !excluded.matchWithAncestors(p)
            && !holdsUnmanaged(sub, p, filter, excluded)) {
          out.add("extra " + p);
        }
      }
    }
    return out;
  }

  // A directory the image lacks may stay when it holds files nobody manages.
  private static boolean holdsUnmanaged(FileTree sub, String dir, Filter filter, Filter excluded) {
    for (Entry e : sub.entries()) {
      String p = e.path();
      if (p.startsWith(dir + "/")
          && (filter.matchWithAncestors(p) || excluded.matchWithAncestors(p))) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(Inode want, Inode have) {
    if (want.type() != have.type() || want.uid() != have.uid() || want.gid() != have.gid()) {
      return false;
    }
    return switch (want) {
      case DirectoryInode d -> d.mode() == have.mode();
      case RegularInode r ->
          have instanceof RegularInode h
              && r.hash().equals(h.hash())
              && r.mode() == h.mode()
              && r.mtimeNanos() == h.mtimeNanos()
              && Objects.equals(r.capability(), h.capability());
      case SymlinkInode l -> have instanceof SymlinkInode h && l.target().equals(h.target());
      default -> want.equals(have);
    };
  }
}
