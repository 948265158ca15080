package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.fs.TreePaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The managed root as an update sees it: tree paths turned into host paths only after every parent
 * has been checked with {@code lstat} to be a real directory, so no write can follow a symlink out
 * of the root. (A process racing subd to swap a checked directory for a symlink is outside this
 * model: subd runs as root against a root only it manages.)
 */
public final class RootFs {
  private final Path root;
  private final long rootDev;

  /**
   * @param root the root directory (already resolved: no symlinks in it)
   */
  public RootFs(Path root) throws IOException {
    this.root = root;
    this.rootDev = Posix.lstat(root).dev();
  }

  public Path root() {
    return root;
  }

  /** The host path of a tree path, unchecked: for reading only. */
  public Path hostPath(String treePath) {
    return treePath.equals(TreePaths.ROOT) ? root : root.resolve(treePath.substring(1));
  }

  /**
   * Checks {@code treePath} and every parent, and returns its host path.
   *
   * @throws UnsafePathException if the path is not clean ({@code ..}, relative, ...) or a parent is
   *     a symlink or not a directory
   * @throws NoSuchFileException if a parent is missing
   */
  public Path resolve(String treePath) throws IOException {
    return resolve(treePath, null);
  }

  /**
   * {@link #resolve(String)}, skipping the parents in {@code verified} and adding those it checks:
   * for a run of operations that do not change directories. The caller clears the set whenever it
   * removes or replaces a directory.
   */
  public Path resolve(String treePath, java.util.Set<String> verified) throws IOException {
    String problem = TreePaths.problem(treePath);
    if (problem != null) {
      throw new UnsafePathException("refused path \"" + treePath + "\": " + problem);
    }
    if (treePath.equals(TreePaths.ROOT)) {
      return root;
    }
    int slash = 0;
    while ((slash = treePath.indexOf('/', slash + 1)) > 0) {
      String parent = treePath.substring(0, slash);
      if (verified != null && verified.contains(parent)) {
        continue;
      }
      Posix.Stat st = Posix.lstat(hostPath(parent));
      if (st.isSymlink()) {
        throw new UnsafePathException(
            "refused path "
                + treePath
                + ": its parent "
                + parent
                + " is a symlink, which could lead outside the root");
      }
      if (!st.isDirectory()) {
        throw new UnsafePathException(
            "refused path " + treePath + ": its parent " + parent + " is not a directory");
      }
      if (verified != null) {
        verified.add(parent);
      }
    }
    return hostPath(treePath);
  }

  /** True if every parent of {@code treePath} exists as a real directory. */
  public boolean parentsExist(String treePath) throws IOException {
    try {
      resolve(treePath);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** lstat of a resolved path, or null if it does not exist. */
  public Posix.Stat stat(Path path) throws IOException {
    return Posix.lstatIfExists(path);
  }

  /**
   * Removes {@code path} and, for a directory, its whole subtree, never following symlinks and
   * never descending into another file system. No error if it is absent.
   */
  public void deleteTree(Path path) throws IOException {
    Posix.Stat st = Posix.lstatIfExists(path);
    if (st == null) {
      return;
    }
    if (st.isDirectory()) {
      if (st.dev() != rootDev) {
        throw new IOException(
            "delete " + path + ": it is another file system's mount point;" + " unmount it first");
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          deleteTree(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }
}
