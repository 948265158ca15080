package dominion.subd.update;

import dominion.core.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second name, before the window, for each regular file the window will replace or delete, so
 * that inside the window a rename or unlink only drops a name. Dropping a file's last name frees
 * its blocks there and then (on ext4 with {@code discard} about a millisecond per file, enough to
 * push a window past 100 ms); with the trash they are freed when it is emptied, after the services
 * have started. Lives in the staging directory, which a restart empties. Not thread-safe.
 */
final class Trash {
  private static final Logger log = LoggerFactory.getLogger(Trash.class);

  private final Path dir;
  private final long dev;
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

  /** {@link #keep} for every regular file in the tree at {@code path}, not crossing mounts. */
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
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          keepTree(child);
        }
      }
    } catch (IOException e) {
      log.debug("not kept in the trash: {}: {}", path, e.getMessage());
    }
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
    if (kept == 0) {
      return;
    }
    try {
      root.deleteTree(dir);
    } catch (IOException e) {
      log.warn("cannot empty {} (a restart will): {}", dir, e.getMessage());
    }
  }
}
