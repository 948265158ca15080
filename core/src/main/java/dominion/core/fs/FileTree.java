package dominion.core.fs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable file tree: entries in {@link TreePaths#ORDER}, the root directory first, every
 * entry's parent a directory present in the tree. Hard links are entries sharing an inode number
 * (never directories). Build one with {@link Builder}.
 */
public final class FileTree {
  private final List<Entry> entries;
  private volatile Map<String, Entry> byPath;

  private FileTree(List<Entry> entries) {
    this.entries = entries;
  }

  /** A tree holding only a root directory with the given inode. */
  public static FileTree empty(DirectoryInode root) {
    return new FileTree(List.of(new Entry(TreePaths.ROOT, 0, root)));
  }

  /** All entries in tree order, root first. */
  public List<Entry> entries() {
    return entries;
  }

  /** The root directory's entry. */
  public Entry root() {
    return entries.getFirst();
  }

  public int size() {
    return entries.size();
  }

  /** The entry at {@code path}, or null. */
  public Entry get(String path) {
    Map<String, Entry> map = byPath;
    if (map == null) {
      map = new HashMap<>(entries.size() * 2);
      for (Entry e : entries) {
        map.put(e.path(), e);
      }
      byPath = map;
    }
    return map.get(path);
  }

  /** Number of distinct inodes. */
  public int inodeCount() {
    Set<Long> seen = new HashSet<>();
    for (Entry e : entries) {
      seen.add(e.inum());
    }
    return seen.size();
  }

  /** Total size of regular files, counting each inode once. */
  public long regularBytes() {
    Set<Long> seen = new HashSet<>();
    long total = 0;
    for (Entry e : entries) {
      if (e.inode() instanceof RegularInode r && seen.add(e.inum())) {
        total += r.size();
      }
    }
    return total;
  }

  /** How many entries name each inode number (the link count within this tree). */
  public Map<Long, Integer> linkCounts() {
    Map<Long, Integer> counts = new HashMap<>();
    for (Entry e : entries) {
      counts.merge(e.inum(), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Trees are equal when they have the same paths with equal inodes and the same hard-link
   * grouping; the inode numbers themselves (scanner's st_ino, archive order, ...) do not matter.
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FileTree t) || t.entries.size() != entries.size()) {
      return false;
    }
    Map<Long, Long> inums = new HashMap<>();
    Map<Long, Long> reverse = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry a = entries.get(i);
      Entry b = t.entries.get(i);
      if (!a.path().equals(b.path()) || !a.inode().equals(b.inode())) {
        return false;
      }
      Long mapped = inums.putIfAbsent(a.inum(), b.inum());
      Long back = reverse.putIfAbsent(b.inum(), a.inum());
      if ((mapped != null && mapped != b.inum()) || (back != null && back != a.inum())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Entry e : entries) {
      h = 31 * h + e.path().hashCode() * 17 + e.inode().hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return "FileTree[" + entries.size() + " entries]";
  }

  /** Collects entries in any order and checks them into a {@link FileTree}. Not thread-safe. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    /** Adds an entry; for a hard link pass the same inum and Inode as the first name. */
    public Builder add(String path, long inum, Inode inode) {
      entries.add(new Entry(path, inum, inode));
      return this;
    }

    public Builder add(Entry entry) {
      entries.add(entry);
      return this;
    }

    public int size() {
      return entries.size();
    }

    /**
     * Sorts and checks the entries.
     *
     * @throws IllegalArgumentException on a duplicate path, a missing or non-directory parent, a
     *     root that is not a directory, a hard-linked directory, or one inode number given two
     *     different inodes
     */
    public FileTree build() {
      List<Entry> sorted = new ArrayList<>(entries);
      sorted.sort((a, b) -> TreePaths.compare(a.path(), b.path()));
      if (sorted.isEmpty() || !sorted.getFirst().path().equals(TreePaths.ROOT)) {
        throw new IllegalArgumentException("bad tree: no root directory");
      }
      Map<String, Inode> dirs = new HashMap<>();
      Map<Long, Inode> inodes = new HashMap<>();
      String previous = null;
      for (Entry e : sorted) {
        if (e.path().equals(previous)) {
          throw new IllegalArgumentException("bad tree: duplicate path " + e.path());
        }
        previous = e.path();
        Inode known = inodes.putIfAbsent(e.inum(), e.inode());
        if (known != null) {
          if (!known.equals(e.inode())) {
            throw new IllegalArgumentException(
                "bad tree: inode " + e.inum() + " differs between its links at " + e.path());
          }
          if (known instanceof DirectoryInode) {
            throw new IllegalArgumentException("bad tree: directory hard link at " + e.path());
          }
        }
        if (e.path().equals(TreePaths.ROOT)) {
          if (!(e.inode() instanceof DirectoryInode)) {
            throw new IllegalArgumentException("bad tree: the root is not a directory");
          }
        } else if (!dirs.containsKey(TreePaths.parent(e.path()))) {
          throw new IllegalArgumentException(
              "bad tree: parent of " + e.path() + " is missing or not a directory");
        }
        if (e.inode() instanceof DirectoryInode) {
          dirs.put(e.path(), e.inode());
        }
      }
      // Hard links share one instance, so equal inodes cost memory once.
      List<Entry> canonical = new ArrayList<>(sorted.size());
      for (Entry e : sorted) {
        Inode shared = inodes.get(e.inum());
        canonical.add(shared == e.inode() ? e : new Entry(e.path(), e.inum(), shared));
      }
      return new FileTree(Collections.unmodifiableList(canonical));
    }
  }
}
