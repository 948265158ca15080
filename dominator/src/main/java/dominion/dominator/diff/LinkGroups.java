package dominion.dominator.diff;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The hard-link groups of a tree: for each inode number named more than once, its paths in tree
 * order. Single-link inodes (nearly all) are not stored, to keep the map small.
 */
final class LinkGroups {
  private final Map<Long, List<String>> groups;

  private LinkGroups(Map<Long, List<String>> groups) {
    this.groups = groups;
  }

  /** The groups among the entries {@code managed} accepts. */
  static LinkGroups of(FileTree tree, Predicate<Entry> managed) {
    Map<Long, Integer> counts = new HashMap<>();
    for (Entry e : tree.entries()) {
      if (!(e.inode() instanceof DirectoryInode) && managed.test(e)) {
        counts.merge(e.inum(), 1, Integer::sum);
      }
    }
    Map<Long, List<String>> groups = new HashMap<>();
    for (Entry e : tree.entries()) {
      Integer n = counts.get(e.inum());
      if (n != null && n > 1 && managed.test(e)) {
        groups.computeIfAbsent(e.inum(), k -> new ArrayList<>(n)).add(e.path());
      }
    }
    return new LinkGroups(groups);
  }

  /** The paths that name {@code entry}'s inode, in tree order (just its own path if alone). */
  List<String> of(Entry entry) {
    List<String> group = groups.get(entry.inum());
    return group != null ? group : List.of(entry.path());
  }
}
