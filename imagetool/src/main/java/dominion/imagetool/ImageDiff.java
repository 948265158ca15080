package dominion.imagetool;

import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The per-path difference between two trees, in tree order. A path is <em>added</em> (only in the
 * right tree), <em>removed</em> (only in the left), <em>content changed</em> (its type, its regular
 * file's hash, its symlink's target or its device number differ) or <em>metadata changed</em> (same
 * content, but mode, owner, group, a regular file's mtime or capability, or its number of hard
 * links differ). Directory and symlink mtimes are not compared: entries change them.
 */
final class ImageDiff {
  enum Kind {
    ADDED('+'),
    REMOVED('-'),
    CONTENT('C'),
    METADATA('M');

    final char mark;

    Kind(char mark) {
      this.mark = mark;
    }
  }

  /** One changed path; {@code detail} says what changed (empty for added and removed). */
  record Change(Kind kind, String path, String detail) {
    String line() {
      return kind.mark + " " + path + (detail.isEmpty() ? "" : "  (" + detail + ")");
    }
  }

  private ImageDiff() {}

  static List<Change> compare(FileTree left, FileTree right) {
    Map<Long, Integer> leftLinks = left.linkCounts();
    Map<Long, Integer> rightLinks = right.linkCounts();
    List<Change> changes = new ArrayList<>();
    List<Entry> a = left.entries();
    List<Entry> b = right.entries();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int c =
          i == a.size()
              ? 1
              : j == b.size() ? -1 : TreePaths.compare(a.get(i).path(), b.get(j).path());
      if (c < 0) {
        changes.add(new Change(Kind.REMOVED, a.get(i++).path(), ""));
      } else if (c > 0) {
        changes.add(new Change(Kind.ADDED, b.get(j++).path(), ""));
      } else {
        Entry l = a.get(i++);
        Entry r = b.get(j++);
        Change change = compare(l, leftLinks.get(l.inum()), r, rightLinks.get(r.inum()));
        if (change != null) {
          changes.add(change);
        }
      }
    }
    return changes;
  }

  private static Change compare(Entry l, int leftLinks, Entry r, int rightLinks) {
    Inode a = l.inode();
    Inode b = r.inode();
    String content = contentDifference(a, b);
    if (content != null) {
      return new Change(Kind.CONTENT, l.path(), content);
    }
    List<String> details = new ArrayList<>();
    if (a.mode() != b.mode()) {
      details.add(
          String.format(
              Locale.ROOT,
              "mode %s -> %s",
              Listing.modeString(a.mode()),
              Listing.modeString(b.mode())));
    }
    if (a.uid() != b.uid()) {
      details.add(
          "uid " + Integer.toUnsignedString(a.uid()) + " -> " + Integer.toUnsignedString(b.uid()));
    }
    if (a.gid() != b.gid()) {
      details.add(
          "gid " + Integer.toUnsignedString(a.gid()) + " -> " + Integer.toUnsignedString(b.gid()));
    }
    if (a instanceof RegularInode ra && b instanceof RegularInode rb) {
      if (ra.mtimeNanos() != rb.mtimeNanos()) {
        details.add("mtime");
      }
      if (!Objects.equals(ra.capability(), rb.capability())) {
        details.add("capability");
      }
    }
    if (leftLinks != rightLinks) {
      details.add("links " + leftLinks + " -> " + rightLinks);
    }
    return details.isEmpty()
        ? null
        : new Change(Kind.METADATA, l.path(), String.join(", ", details));
  }

  private static String contentDifference(Inode a, Inode b) {
    if (a.type() != b.type()) {
      return "type "
          + a.type().name().toLowerCase(Locale.ROOT)
          + " -> "
          + b.type().name().toLowerCase(Locale.ROOT);
    }
    return switch (a) {
      case RegularInode ra ->
          ra.hash().equals(((RegularInode) b).hash())
              ? null
              : "size " + ra.size() + " -> " + ((RegularInode) b).size() + ", hash";
      case SymlinkInode sa ->
          sa.target().equals(((SymlinkInode) b).target())
              ? null
              : "target " + sa.target() + " -> " + ((SymlinkInode) b).target();
      case SpecialInode da -> da.rdev() == ((SpecialInode) b).rdev() ? null : "device number";
      default -> null;
    };
  }
}
