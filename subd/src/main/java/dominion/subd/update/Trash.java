package dominion.subd.update;

import dominion.core.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second name, before the window, for each regular file the window will replace or delete, so
 * that inside the window a rename or unlink only drops a name. Dropping a file's last name frees
 * its blocks there and then (on ext4 with {@code discard} about a millisecond per file, enough to
 * push a window past 100 ms); with the trash they are freed when it is emptied, after the services
 * have started. A directory tree to delete that holds no other file system is instead renamed into
 * the trash in the window, whole (the path disappears at once, and one rename replaces an unlink
 * per entry). Lives in the staging directory, which a restart empties. Not thread-safe.
 */
final class Trash {
  private static final Logger log = LoggerFactory.getLogger(Trash.class);

  private final Path dir;
  private final long dev;
  private final java.util.Set<Path> movable = new java.util.HashSet<>();
  private int kept;

  /**
   * @param dir a directory to create, on the same file system as every file kept
   * @param dev that file system's device
   */
  Trash(Path dir, long dev) {
    this.dir = dir;
    this.dev = dev;
  }

  int kept() {
    return kept;
  }

  /** Links {@code file} into the trash if it is a regular file whose last name the window drops. */
  void keep(Path file) {
    try {
      keep(file, Posix.lstatIfExists(file));
    } catch (IOException e) {
      // Only a cost: the window frees it itself.
      log.debug("not kept in the trash: {}: {}", file, e.getMessage());
    }
  }

  /**
   * Before the window, for a path the window will delete: a directory tree all on this file system
   * is noted to be renamed in whole by {@link #delete}; otherwise each regular file is kept.
   */
  void keepTree(Path path) {
    try {
      Posix.Stat st = Posix.lstatIfExists(path);
      if (st == null || st.dev() != dev) {
        return;
      }
      if (!st.isDirectory()) {
        keep(path, st);
        return;
      }
      if (oneFileSystem(path)) {
        Files.createDirectories(dir);
        movable.add(path);
        return;
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          keepTree(child);
        }
      }
    } catch (IOException e) {
      log.debug("not kept in the trash: {}: {}", path, e.getMessage());
    }
  }

  /**
   * In the window: deletes {@code path} (resolved safely by the caller), by one rename into the
   * trash where {@link #keepTree} found that possible, else entry by entry.
   */
  void delete(Path path, RootFs root) throws IOException {
    if (movable.remove(path)) {
      try {
        Files.move(path, dir.resolve("tree" + kept), StandardCopyOption.ATOMIC_MOVE);
        kept++;
        return;
      } catch (IOException e) {
        log.debug("{} not moved into the trash: {}", path, e.getMessage());
      }
    }
    root.deleteTree(path);
  }

  // True if no directory in the tree at top is another file system's mount point.
  private boolean oneFileSystem(Path top) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(top)) {
      for (Path child : children) {
        Posix.Stat st = Posix.lstat(child);
        if (st.isDirectory() && (st.dev() != dev || !oneFileSystem(child))) {
          return false;
        }
      }
    }
    return true;
  }

  private void keep(Path file, Posix.Stat st) throws IOException {
    if (st == null || !st.isRegular() || st.nlink() != 1 || st.size() == 0 || st.dev() != dev) {
      return;
    }
    if (kept == 0) {
      Files.createDirectories(dir);
    }
    Files.createLink(dir.resolve(Integer.toString(kept)), file);
    kept++;
  }

  /** Removes the trash and, with it, the last names of what it kept. */
  void empty(RootFs root) {
    try {
      root.deleteTree(dir);
    } catch (IOException e) {
      log.warn("cannot empty {} (a restart will): {}", dir, e.getMessage());
    }
  }
}
