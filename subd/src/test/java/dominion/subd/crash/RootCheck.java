package dominion.subd.crash;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreePaths;
import dominion.core.fs.TreeScanner;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.objectstore.ObjectLayout;
import dominion.subd.update.Journal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Independent checks of a sub's root and state directory, from a fresh scan of the disk (not from
 * subd's own view): every path whole, the root equal to an image, the state directory consistent.
 */
final class RootCheck {
  /** Prefix of an update's temporary names. */
  static final String TEMP_PREFIX = Journal.TEMP_PREFIX;

  private RootCheck() {}

  /** The root's tree as a scan sees it, without the state directory. */
  static FileTree scan(Path root, Path state) throws IOException {
    return new TreeScanner(
            new TreeScanner.Config(Filter.EMPTY, Set.of(state)), ContentHasher.sha512())
        .scan(root)
        .tree();
  }

  /**
   * How {@code have} breaks "every path holds its old or its new version": a file with content or
   * metadata of neither (a partial write, a file prepared only in part), a path that both trees
   * hold as a file but that is missing, a stray name, and (unless {@code tempsAllowed}) an update's
   * temporary name. A path whose content both trees share may show some attributes changed and some
   * not: metadata changes in place are a chown, a chmod and a utimensat, which no file system makes
   * atomic together.
   */
  static List<String> wholeness(FileTree have, FileTree old, FileTree image, boolean tempsAllowed) {
    List<String> out = new ArrayList<>();
    for (Entry e : have.entries()) {
      String name = TreePaths.name(e.path());
      if (e.path().contains("/" + TEMP_PREFIX)) {
        if (!tempsAllowed) {
          out.add("temporary name left: " + e.path());
        }
        continue;
      }
      Entry o = old.get(e.path());
      Entry n = image.get(e.path());
      if (o == null && n == null) {
        out.add("stray path " + e.path() + " (" + name + "): in neither tree");
        continue;
      }
      Inode i = e.inode();
      if ((o != null && same(i, o.inode())) || (n != null && same(i, n.inode()))) {
        continue;
      }
      if (o != null && n != null && attributewise(i, o.inode(), n.inode())) {
        continue;
      }
      out.add(
          "path "
              + e.path()
              + " is neither old nor new: have "
              + i
              + ", old "
              + (o == null ? null : o.inode())
              + ", new "
              + (n == null ? null : n.inode()));
    }
    for (Entry o : old.entries()) {
      Entry n = image.get(o.path());
      if (n != null
          && have.get(o.path()) == null
          && !(o.inode() instanceof DirectoryInode)
          && !(n.inode() instanceof DirectoryInode)
          && !underReplacedDirectory(o.path(), old, image)) {
        out.add("missing " + o.path() + ": a file in both trees, absent (never whole)");
      }
    }
    return brief(out);
  }

  // A path below a directory that the image turns into something else may vanish with it.
  private static boolean underReplacedDirectory(String path, FileTree old, FileTree image) {
    for (String p = TreePaths.parent(path); !p.equals(TreePaths.ROOT); p = TreePaths.parent(p)) {
      Entry n = image.get(p);
      if (n == null || !(n.inode() instanceof DirectoryInode)) {
        return old.get(p) != null;
      }
    }
    return false;
  }

  /**
   * How {@code have} differs from {@code image}: paths, inodes and hard-link grouping; with {@code
   * tempsAllowed}, temporary names do not count.
   */
  static List<String> differences(FileTree have, FileTree image, boolean tempsAllowed) {
    List<String> out = new ArrayList<>();
    Map<Long, Long> inums = new HashMap<>();
    for (Entry want : image.entries()) {
      Entry e = have.get(want.path());
      if (e == null) {
        out.add("missing " + want.path());
        continue;
      }
      if (!same(e.inode(), want.inode())) {
        out.add("differs " + want.path() + ": have " + e.inode() + ", want " + want.inode());
      }
      if (!(want.inode() instanceof DirectoryInode)) {
        Long mapped = inums.putIfAbsent(want.inum(), e.inum());
        if (mapped != null && mapped != e.inum()) {
          out.add("hard link " + want.path() + " is not linked to its first name");
        }
      }
    }
    Set<Long> seen = new HashSet<>();
    for (Map.Entry<Long, Long> m : inums.entrySet()) {
      if (!seen.add(m.getValue())) {
        out.add("two image inodes share one inode on the sub: " + m);
      }
    }
    for (Entry e : have.entries()) {
      if (image.get(e.path()) == null && !(tempsAllowed && e.path().contains("/" + TEMP_PREFIX))) {
        out.add("extra " + e.path());
      }
    }
    return brief(out);
  }

  /** Equal as the image means it: a directory's and a symlink's mtime and mode never count. */
  static boolean same(Inode have, Inode want) {
    return switch (want) {
      case DirectoryInode d ->
          have instanceof DirectoryInode h
              && h.mode() == d.mode()
              && h.uid() == d.uid()
              && h.gid() == d.gid();
      case SymlinkInode s ->
          have instanceof SymlinkInode h
              && h.target().equals(s.target())
              && h.uid() == s.uid()
              && h.gid() == s.gid();
      default -> have.equals(want);
    };
  }

  // Same type and content as both; each attribute as one of them.
  private static boolean attributewise(Inode have, Inode o, Inode n) {
    if (have.type() != o.type() || o.type() != n.type()) {
      return false;
    }
    if (have instanceof RegularInode h) {
      RegularInode ro = (RegularInode) o;
      RegularInode rn = (RegularInode) n;
      if (!ro.hash().equals(rn.hash()) || !h.hash().equals(rn.hash())) {
        return false;
      }
    } else if (!(have instanceof DirectoryInode)) {
      return false;
    }
    boolean mtime =
        have instanceof DirectoryInode
            || have.mtimeNanos() == o.mtimeNanos()
            || have.mtimeNanos() == n.mtimeNanos();
    return (have.mode() == o.mode() || have.mode() == n.mode())
        && (have.uid() == o.uid() || have.uid() == n.uid())
        && (have.gid() == o.gid() || have.gid() == n.gid())
        && mtime;
  }

  /**
   * What is wrong with a state directory after a restart (or after a failed step): a journal left,
   * anything in {@code staging/}, a partial object in the cache's temporary directory, an object
   * whose bytes do not hash to its name or that shares its inode with another name (a file in the
   * tree, which a write through the tree would change), a stray file. Returns the problems and
   * fills {@code objects} with the hashes stored. With {@code partialsAllowed} (right after a kill,
   * before the restart that discards them) partial objects, and the second names they may give
   * whole ones, do not count.
   */
  static List<String> stateProblems(Path state, Set<Hash> objects, boolean partialsAllowed)
      throws IOException {
    List<String> out = new ArrayList<>();
    if (Files.exists(state.resolve("update.journal"))) {
      out.add("update.journal left");
    }
    for (String dir : partialsAllowed ? List.of("staging") : List.of("staging", "objects/.tmp")) {
      Path p = state.resolve(dir);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.forEach(f -> out.add("left in " + dir + ": " + f.getFileName()));
        }
      }
    }
    try (Stream<Path> s = Files.list(state)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (!Set.of("objects", "staging", "image", "triggers.json").contains(n)) {
          out.add("stray file in the state directory: " + n);
        }
      }
    }
    Path cache = state.resolve("objects");
    try (Stream<Path> shards = Files.list(cache)) {
      for (Path shard : shards.toList()) {
        String s = shard.getFileName().toString();
        if (s.equals(".tmp")) {
          continue;
        }
        try (Stream<Path> files = Files.list(shard)) {
          for (Path f : files.toList()) {
            Hash name = ObjectLayout.hashOf(s, f.getFileName().toString());
            if (name == null) {
              out.add("stray file in the cache: " + s + "/" + f.getFileName());
              continue;
            }
            // (A commit links objects from their temporary names, removed after the flush.)
            long links = dominion.core.fs.Posix.lstat(f).nlink();
            if (links != 1 && !partialsAllowed) {
              out.add("cache object " + name + " has " + links + " names: it shares its inode");
            }
            Hash actual;
            try (InputStream in = Files.newInputStream(f)) {
              actual = Hash.of(in.readAllBytes());
            }
            if (!actual.equals(name)) {
              out.add("cache object " + name + " holds bytes hashing to " + actual);
            }
            objects.add(name);
          }
        }
      }
    }
    return brief(out);
  }

  // Enough to tell what went wrong, short enough to read in a test report.
  private static List<String> brief(List<String> problems) {
    if (problems.size() <= 20) {
      return problems;
    }
    List<String> out = new ArrayList<>(problems.subList(0, 20));
    out.add("... and " + (problems.size() - 20) + " more");
    return out;
  }
}
