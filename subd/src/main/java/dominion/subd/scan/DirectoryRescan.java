package dominion.subd.scan;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreePaths;
import dominion.core.image.Filter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cheap metadata pass for when change notification says which directories changed: lists only
 * those directories again (and walks any directory that is new), keeps the rest of the last tree,
 * and checks the result as a whole tree. Follows the rules of {@link dominion.core.fs.TreeScanner}:
 * no other file systems, no sockets, nothing the filter or the skip set excludes. Anything it
 * cannot settle locally (a directory that vanished without its parent being listed, a file changing
 * while read, hard links whose other names were not listed) makes it give up with {@link Fallback},
 * and the caller runs a full pass.
 */
final class DirectoryRescan {
  /** The incremental pass cannot be trusted here; run a full one. */
  static final class Fallback extends Exception {
    Fallback(String why) {
      super(why, null, false, false);
    }
  }

  private final Path root;
  private final long rootDev;
  private final Filter filter;
  private final Set<Path> skip;
  private final ContentHasher hasher;

  DirectoryRescan(Path root, long rootDev, Filter filter, Set<Path> skip, ContentHasher hasher) {
    this.root = root;
    this.rootDev = rootDev;
    this.filter = filter;
    this.skip = skip;
    this.hasher = hasher;
  }

  private Path host(String treePath) {
    return treePath.equals(TreePaths.ROOT) ? root : root.resolve(treePath.substring(1));
  }

  /** The tree after listing {@code dirty} (tree paths of directories of {@code old}) again. */
  FileTree rescan(FileTree old, Set<String> dirty) throws IOException, Fallback {
    TreeSet<String> todo = new TreeSet<>(TreePaths.ORDER);
    todo.addAll(dirty);
    Set<String> listed = new HashSet<>();
    Map<String, Entry> fresh = new HashMap<>(); // relisted directories' own entries
    List<Entry> added = new ArrayList<>();
    List<String> removedDirs = new ArrayList<>();
    for (String dir : todo) {
      if (isUnder(dir, removedDirs)) {
        continue;
      }
      Entry was = old.get(dir);
      if (was == null || !(was.inode() instanceof DirectoryInode)) {
        throw new Fallback(dir + " is not a directory of the last tree");
      }
      Posix.Stat st = Posix.lstatIfExists(host(dir));
      if (st == null || !st.isDirectory() || st.ino() != was.inum() || st.dev() != rootDev) {
        if (!dir.equals(TreePaths.ROOT) && listed.contains(TreePaths.parent(dir))) {
          continue; // Its parent's listing already accounted for it.
        }
        throw new Fallback(dir + " was replaced or removed");
      }
      listed.add(dir);
      fresh.put(dir, new Entry(dir, st.ino(), directory(st)));
      listChildren(old, dir, added, removedDirs);
    }
    FileTree.Builder builder = new FileTree.Builder();
    for (Entry e : old.entries()) {
      if (!e.path().equals(TreePaths.ROOT) && listed.contains(TreePaths.parent(e.path()))) {
        continue; // Replaced by the new listing (which has fresh entries of listed children).
      } else if (fresh.containsKey(e.path())) {
        builder.add(fresh.get(e.path()));
      } else if (!isUnder(e.path(), removedDirs)) {
        builder.add(e);
      }
    }
    added.forEach(builder::add);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      // Typically a hard link whose other names live in directories nobody listed.
      throw new Fallback(e.getMessage());
    }
  }

  // Lists dir: its children go to added (a new subdirectory with its whole subtree); old child
  // directories that are gone or replaced go to removedDirs.
  private void listChildren(FileTree old, String dir, List<Entry> added, List<String> removedDirs)
      throws IOException, Fallback {
    Set<String> seen = new HashSet<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(host(dir))) {
      for (Path child : children) {
        String path = TreePaths.join(dir, child.getFileName().toString());
        if (filter.match(path) || skip.contains(child)) {
          continue;
        }
        Posix.Stat st = Posix.lstatIfExists(child);
        if (st == null || st.dev() != rootDev || st.isSocket()) {
          continue;
        }
        seen.add(path);
        Entry was = old.get(path);
        if (st.isDirectory()) {
          boolean kept =
              was != null && was.inode() instanceof DirectoryInode && was.inum() == st.ino();
          if (!kept && was != null && was.inode() instanceof DirectoryInode) {
            removedDirs.add(path);
          }
          if (kept) {
            added.add(new Entry(path, st.ino(), directory(st)));
          } else {
            walk(path, st, added);
          }
        } else {
          if (was != null && was.inode() instanceof DirectoryInode) {
            removedDirs.add(path);
          }
          added.add(new Entry(path, st.ino(), nonDirectory(child, st)));
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      throw new Fallback(dir + " vanished while listed");
    }
    for (Entry e : old.entries()) {
      if (e.inode() instanceof DirectoryInode
          && !e.path().equals(TreePaths.ROOT)
          && TreePaths.parent(e.path()).equals(dir)
          && !seen.contains(e.path())) {
        removedDirs.add(e.path());
      }
    }
  }

  // Adds a new directory and everything below it.
  private void walk(String path, Posix.Stat st, List<Entry> added) throws IOException, Fallback {
    added.add(new Entry(path, st.ino(), directory(st)));
    try (DirectoryStream<Path> children = Files.newDirectoryStream(host(path))) {
      for (Path child : children) {
        String childPath = TreePaths.join(path, child.getFileName().toString());
        if (filter.match(childPath) || skip.contains(child)) {
          continue;
        }
        Posix.Stat cs = Posix.lstatIfExists(child);
        if (cs == null || cs.dev() != rootDev || cs.isSocket()) {
          continue;
        }
        if (cs.isDirectory()) {
          walk(childPath, cs, added);
        } else {
          added.add(new Entry(childPath, cs.ino(), nonDirectory(child, cs)));
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      throw new Fallback(path + " vanished while walked");
    }
  }

  private static DirectoryInode directory(Posix.Stat st) {
    return new DirectoryInode(st.mode(), st.uid(), st.gid(), st.mtimeNanos());
  }

  private Inode nonDirectory(Path path, Posix.Stat st) throws IOException, Fallback {
    try {
      FileType type = FileType.ofMode(st.mode());
      if (type == FileType.SYMLINK) {
        return new SymlinkInode(
            st.mode(), st.uid(), st.gid(), st.mtimeNanos(), Posix.readlink(path));
      }
      if (type.isSpecial()) {
        return new SpecialInode(st.mode(), st.uid(), st.gid(), st.mtimeNanos(), st.rdev());
      }
      return new RegularInode(
          st.mode(),
          st.uid(),
          st.gid(),
          st.mtimeNanos(),
          st.size(),
          hasher.hash(path, st),
          Posix.getCapability(path));
    } catch (IOException | IllegalArgumentException e) {
      // Vanished, changed while read, or no longer the type lstat said.
      throw new Fallback(path + ": " + e.getMessage());
    }
  }

  private static boolean isUnder(String path, List<String> dirs) {
    for (String d : dirs) {
      if (TreePaths.isWithin(path, d)) {
        return true;
      }
    }
    return false;
  }
}
