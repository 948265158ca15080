package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inodes of one update, made whole under temporary names and then renamed into place.
 *
 * <p>An inode whose directory already exists is prepared beside its target ({@code
 * DIR/.subd-ID-iN}). One whose directory the update itself makes is prepared in the staging
 * directory (in subd's state directory, when that is on the same file system as the root) so that
 * it, too, is ready before any service stops; otherwise it is prepared beside its target once the
 * directory exists. Either way it reaches its target by one rename.
 */
final class Preparer {
  private static final Logger log = LoggerFactory.getLogger(Preparer.class);
  // Threads that prepare inodes, and the least number of inodes worth starting them for.
  private static final int THREADS = 4;
  private static final int PARALLEL_FROM = 64;

  private enum Where {
    NOT_YET,
    BESIDE,
    STAGED,
    /** At its final name inside a new directory built before the window (see NewDirectories). */
    IN_NEW_DIRECTORY
  }

  private final RootFs root;
  private final InodeWriter writer;
  private final Path staging;
  private final NewDirectories newDirectories;
  private final List<UpdatePlan.PathInode> inodes;
  private final List<String> temps;
  private final Where[] where;
  // Where each inode was renamed into place (its target), or null while it is not.
  private final Path[] installedAt;
  private final boolean[] lastUse;
  // Host paths of inodes prepared beside their targets, resolved (parents checked) while preparing.
  private final Path[] besideFrom;
  private final Path[] besideTarget;
  private final boolean[] linked;
  private final HashHints hints;
  // Tree paths of parents checked to be real directories; cleared when a directory is removed.
  private final java.util.Set<String> verified = new java.util.HashSet<>();

  /**
   * @param staging a directory on the root's file system for inodes of new directories, or null
   * @param newDirectories the new directories built before the window (after {@code build})
   * @param temps the temporary tree path beside each inode's target
   */
  Preparer(
      RootFs root,
      InodeWriter writer,
      Path staging,
      NewDirectories newDirectories,
      List<UpdatePlan.PathInode> inodes,
      List<String> temps,
      HashHints hints) {
    this.root = root;
    this.writer = writer;
    this.staging = staging;
    this.newDirectories = newDirectories;
    this.inodes = inodes;
    this.temps = temps;
    this.where = new Where[inodes.size()];
    java.util.Arrays.fill(where, Where.NOT_YET);
    this.installedAt = new Path[inodes.size()];
    this.lastUse = lastUses(inodes);
    this.besideFrom = new Path[inodes.size()];
    this.besideTarget = new Path[inodes.size()];
    this.linked = new boolean[inodes.size()];
    this.hints = hints;
  }

  // True for the last inode that uses each object: only it may take the cache's file itself.
  private static boolean[] lastUses(List<UpdatePlan.PathInode> inodes) {
    boolean[] last = new boolean[inodes.size()];
    java.util.Set<dominion.core.hash.Hash> seen = new java.util.HashSet<>();
    for (int i = inodes.size() - 1; i >= 0; i--) {
      if (inodes.get(i).inode() instanceof RegularInode r && seen.add(r.hash())) {
        last[i] = true;
      }
    }
    return last;
  }

  /**
   * Before any service stops: prepares every inode it can, on a few threads (most of the cost is
   * system calls: link or copy, chown, chmod, capability, utimes). Copies first, then the last uses
   * of each object, which may take the cache's file itself: a copy never finds its source already
   * linked into the tree (it would have to hash it again).
   */
  void prepareEarly() throws IOException {
    // No directory changes before the window, so a parent checked once stays checked.
    Path[] paths = new Path[inodes.size()];
    List<Integer> copies = new ArrayList<>();
    List<Integer> lasts = new ArrayList<>();
    for (int i = 0; i < inodes.size(); i++) {
      Path inside = newDirectories.inside(inodes.get(i).path());
      if (inside != null) {
        paths[i] = inside;
        where[i] = Where.IN_NEW_DIRECTORY;
      } else if (parentReady(inodes.get(i).path(), verified)) {
        paths[i] = root.resolve(temps.get(i), verified);
        // The parent is checked: the window renames between these without resolving again.
        besideFrom[i] = paths[i];
        besideTarget[i] = root.hostPath(inodes.get(i).path());
        where[i] = Where.BESIDE;
      } else if (staging != null) {
        paths[i] = stagedPath(i);
        where[i] = Where.STAGED;
      } else {
        continue;
      }
      (lastUse[i] ? lasts : copies).add(i);
    }
    makeAll(copies, paths);
    makeAll(lasts, paths);
  }

  private void makeAll(List<Integer> indexes, Path[] paths) throws IOException {
    concurrently(indexes, i -> make(i, paths[i]));
  }

  /** Work on one inode, by its index. */
  @FunctionalInterface
  private interface IndexTask {
    void run(int i) throws IOException;
  }

  // Runs task for each index, on a few threads when there are enough; the first failure is thrown
  // once every task has ended.
  private static void concurrently(List<Integer> indexes, IndexTask task) throws IOException {
    if (indexes.size() < PARALLEL_FROM) {
      for (int i : indexes) {
        task.run(i);
      }
      return;
    }
    List<java.util.concurrent.Future<?>> made = new ArrayList<>();
    // close() waits for every task, also after a failure: nothing may still be writing a
    // temporary name when the caller cleans up.
    try (java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(
            THREADS, Thread.ofPlatform().name("subd-prepare-", 0).daemon().factory())) {
      for (int i : indexes) {
        made.add(
            threads.submit(
                () -> {
                  task.run(i);
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> f : made) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          made.forEach(m -> m.cancel(false));
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException("prepare: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          made.forEach(m -> m.cancel(false));
          throw new java.io.InterruptedIOException("interrupted while preparing files");
        }
      }
    }
  }

  /** How many regular files took the cache's object itself (the rest are copies or not files). */
  int linkedCount() {
    int n = 0;
    for (boolean l : linked) {
      n += l ? 1 : 0;
    }
    return n;
  }

  /** Before the window: gives the trash the files that renames will replace. */
  void keepReplaced(Trash trash) {
    for (int i = 0; i < inodes.size(); i++) {
      if (where[i] == Where.BESIDE) {
        try {
          trash.keep(root.resolve(inodes.get(i).path(), verified));
        } catch (IOException e) {
          // Found again, and reported, by the rename.
        }
      }
    }
  }

  /** How many inodes were prepared inside new directories (no rename of their own). */
  int inNewDirectories() {
    int n = 0;
    for (Where w : where) {
      n += w == Where.IN_NEW_DIRECTORY ? 1 : 0;
    }
    return n;
  }

  /** Inside the window, once directories exist: prepares what is left. */
  void prepareRest() throws IOException {
    for (int i = 0; i < inodes.size(); i++) {
      if (where[i] == Where.NOT_YET) {
        make(i, root.resolve(temps.get(i)));
        where[i] = Where.BESIDE;
      }
    }
  }

  /**
   * Renames every prepared inode over its target, in request order. Parents checked once (here or
   * while preparing: nothing changes directories in between but this update) are not checked again
   * until a directory is replaced.
   */
  void install() throws IOException {
    // Parents checked while preparing stay checked until a rename removes a directory: then a
    // later path may lead through what replaced it (a symlink) and is resolved again.
    boolean directoryRemoved = false;
    for (int i = 0; i < inodes.size(); i++) {
      UpdatePlan.PathInode inode = inodes.get(i);
      if (where[i] == Where.IN_NEW_DIRECTORY) {
        // In place already: its directory was renamed in with it.
        installedAt[i] = root.hostPath(inode.path());
        continue;
      }
      boolean checked = !directoryRemoved && where[i] == Where.BESIDE && besideTarget[i] != null;
      Path target = checked ? besideTarget[i] : root.resolve(inode.path(), verified);
      Path from =
          checked
              ? besideFrom[i]
              : where[i] == Where.STAGED ? stagedPath(i) : root.resolve(temps.get(i), verified);
      if (where[i] == Where.STAGED && !sameFileSystem(from, target.getParent())) {
        // A mount inside the root: stage beside the target after all.
        Path beside = root.resolve(temps.get(i));
        Files.deleteIfExists(from);
        make(i, beside);
        from = beside;
      }
      if (replace(from, target)) {
        verified.clear();
        directoryRemoved = true;
      }
      installedAt[i] = target;
    }
  }

  /**
   * After the window, for each installed file: drops the cache's name of an object {@link #prepare}
   * linked into the tree (so the cache never shares an inode with the tree), then tells the
   * scanner's hash cache what the file holds. In that order, since dropping a name moves the file's
   * ctime, which the hints are keyed by. On a few threads: each is a few system calls.
   */
  void settle() {
    List<Integer> files = new ArrayList<>();
    for (int i = 0; i < inodes.size(); i++) {
      if (installedAt[i] != null && inodes.get(i).inode() instanceof RegularInode) {
        files.add(i);
      }
    }
    try {
      concurrently(files, this::settle);
    } catch (IOException e) {
      // settle(int) logs its own failures and throws none; only an interrupt gets here.
      log.warn("settling installed files: {}", e.getMessage());
    }
  }

  private void settle(int i) {
    dominion.core.hash.Hash hash = ((RegularInode) inodes.get(i).inode()).hash();
    if (linked[i]) {
      try {
        writer.dropCacheName(hash);
      } catch (IOException e) {
        log.warn("cannot drop object {} from the cache: {}", hash, e.getMessage());
      }
    }
    try {
      hints.known(Posix.lstat(installedAt[i]), hash);
    } catch (IOException e) {
      // Gone already: the scan will see.
    }
  }

  /** Removes whatever temporary names are left (after a failure, or renamed already: none). */
  void cleanup() {
    for (int i = 0; i < inodes.size(); i++) {
      if (installedAt[i] != null || where[i] == Where.IN_NEW_DIRECTORY) {
        continue; // Renamed into place, or goes with its new directory.
      }
      int j = i;
      remove(() -> root.resolve(temps.get(j)));
      if (staging != null) {
        remove(() -> stagedPath(j));
      }
    }
  }

  private interface PathSupplier {
    Path get() throws IOException;
  }

  private void remove(PathSupplier path) {
    try {
      root.deleteTree(path.get());
    } catch (IOException e) {
      // A missing or now-unsafe parent: nothing of ours can be there.
      log.debug("temporary name not removed: {}", e.getMessage());
    }
  }

  private Path stagedPath(int i) {
    return staging.resolve(Path.of(temps.get(i)).getFileName().toString());
  }

  private void make(int i, Path path) throws IOException {
    try {
      Files.deleteIfExists(path);
      linked[i] =
          writer.prepare(inodes.get(i).inode(), path, lastUse[i]) == InodeWriter.Content.LINKED;
    } catch (IOException e) {
      // A FileSystemException names the temporary name; the target says more.
      String cause =
          e instanceof java.nio.file.FileSystemException f && f.getReason() != null
              ? f.getReason()
              : e.getMessage();
      throw new IOException("prepare " + inodes.get(i).path() + ": " + cause, e);
    }
  }

  /**
   * Renames {@code from} over {@code target}; a directory in the way is removed first (only then is
   * the target looked at: the common case costs one rename). Returns true if a directory was
   * removed.
   */
  boolean replace(Path from, Path target) throws IOException {
    try {
      Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
      return false;
    } catch (IOException e) {
      Posix.Stat st = root.stat(target);
      if (st == null || !st.isDirectory()) {
        throw e;
      }
    }
    root.deleteTree(target);
    Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  // True if the inode's directory is already there, safely; else it waits until the update
  // has made its directories (which may replace a file or symlink on the way).
  private boolean parentReady(String path, java.util.Set<String> verified) throws IOException {
    try {
      root.resolve(path, verified);
      return true;
    } catch (java.nio.file.NoSuchFileException | UnsafePathException e) {
      return false;
    }
  }

  private static boolean sameFileSystem(Path a, Path b) throws IOException {
    return Posix.lstat(a).dev() == Posix.lstat(b).dev();
  }
}
