package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.fs.TreePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories an update makes where nothing is yet, built whole before the window: each topmost
 * one under a temporary name beside its target ({@code PARENT/.subd-ID-dK}, owner and mode set),
 * the ones below it and their files at their final names inside it. In the window one rename puts a
 * whole new subtree in place, instead of a mkdir per directory and a rename per file. Not
 * thread-safe.
 */
final class NewDirectories {
  private static final Logger log = LoggerFactory.getLogger(NewDirectories.class);

  private final RootFs root;
  private final InodeWriter writer;
  private final List<UpdatePlan.PathInode> directories;
  private final List<String> temps;
  // Tree path of each directory being built -> where it is being built.
  private final Map<String, Path> built = new HashMap<>();
  // Tree path of each topmost one -> its temporary name.
  private final Map<String, Path> tops = new HashMap<>();
  private final java.util.Set<String> installed = new java.util.HashSet<>();

  /**
   * @param temps the temporary tree path beside each directory's target (see {@link #temps})
   */
  NewDirectories(
      RootFs root, InodeWriter writer, List<UpdatePlan.PathInode> directories, List<String> temps) {
    this.root = root;
    this.writer = writer;
    this.directories = directories;
    this.temps = temps;
  }

  /** The temporary name of each directory, were it a topmost new one: for the journal. */
  static List<String> temps(List<UpdatePlan.PathInode> directories, String id) {
    List<String> temps = new ArrayList<>();
    for (int i = 0; i < directories.size(); i++) {
      temps.add(Applier.tempPath(directories.get(i).path(), id, "d" + i));
    }
    return temps;
  }

  /** Before the window: builds every new directory whose parent exists or is being built. */
  void build() throws IOException {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < directories.size(); i++) {
      order.add(i);
    }
    // Parents before children.
    order.sort(Comparator.comparingLong(i -> depth(directories.get(i).path())));
    java.util.Set<String> verified = new java.util.HashSet<>();
    for (int i : order) {
      UpdatePlan.PathInode d = directories.get(i);
      if (d.path().equals(TreePaths.ROOT)) {
        continue;
      }
      Path inside = built.get(TreePaths.parent(d.path()));
      if (inside != null) {
        Path path = inside.resolve(TreePaths.name(d.path()));
        Files.createDirectory(path);
        writer.setMetadata(d.inode(), path);
        built.put(d.path(), path);
        continue;
      }
      Path target;
      try {
        target = root.resolve(d.path(), verified);
      } catch (NoSuchFileException | UnsafePathException e) {
        continue; // Made in the window, once whatever is in the way is dealt with.
      }
      if (Posix.lstatIfExists(target) != null) {
        continue; // There already (its metadata changes in the window), or something to replace.
      }
      Path temp = root.hostPath(temps.get(i));
      root.deleteTree(temp);
      Files.createDirectory(temp);
      writer.setMetadata(d.inode(), temp);
      built.put(d.path(), temp);
      tops.put(d.path(), temp);
    }
  }

  /** Where the file {@code treePath} is to be prepared at its final name, or null if elsewhere. */
  Path inside(String treePath) {
    Path dir = built.get(TreePaths.parent(treePath));
    return dir == null ? null : dir.resolve(TreePaths.name(treePath));
  }

  /** True if {@code treePath} is a directory built here (nothing to make in the window). */
  boolean isBuilt(String treePath) {
    return built.containsKey(treePath);
  }

  int count() {
    return built.size();
  }

  int topCount() {
    return tops.size();
  }

  /**
   * In the window: renames a topmost new directory into place. Fails, and leaves what is there, if
   * something appeared at the target since it was built (the next update converges).
   *
   * @return true if {@code treePath} was a topmost new directory
   */
  boolean install(String treePath) throws IOException {
    Path temp = tops.get(treePath);
    if (temp == null) {
      return false;
    }
    Path target = root.resolve(treePath);
    Posix.Stat st = Posix.lstatIfExists(target);
    if (st != null) {
      throw new IOException(
          "make directory "
              + treePath
              + ": something appeared there during the update; the next update converges");
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    installed.add(treePath);
    return true;
  }

  /** After the window: removes what was built and not installed (after a failure). */
  void cleanup() {
    for (Map.Entry<String, Path> top : tops.entrySet()) {
      if (installed.contains(top.getKey())) {
        continue;
      }
      try {
        root.deleteTree(top.getValue());
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", top.getValue(), e.getMessage());
      }
    }
  }

  private static long depth(String path) {
    return path.chars().filter(c -> c == '/').count();
  }
}
