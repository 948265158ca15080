package dominion.core.fs;

import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a directory into a {@link FileTree} whose paths are relative to it (the directory itself is
 * {@code /}). Every entry is lstat'ed; regular files are hashed by the {@link ContentHasher} (a
 * hard-linked inode once) and their {@code security.capability} read; inode numbers are the real
 * ones, so hard links share an inum and an {@link Inode}.
 *
 * <p>Skipped: other file systems (a directory on another device, i.e. a mount point, is left out
 * with its subtree), sockets, paths the filter excludes (a directory with its subtree), the
 * absolute paths in {@link Config#skip} (a daemon's own state directory), and files that vanish or
 * keep changing while the walk runs. Anything else that fails (a directory that cannot be read)
 * fails the scan. One scanner runs one scan at a time: its hasher may hold a buffer.
 */
public final class TreeScanner {
  private static final Logger log = LoggerFactory.getLogger(TreeScanner.class);
  private static final int HASH_ATTEMPTS = 3;
  private static final int EINVAL = 22;

  private final Config config;
  private final ContentHasher hasher;

  /**
   * What to leave out of a scan.
   *
   * @param filter excluded tree paths ({@code /var/log/.*}); null means {@link Filter#EMPTY}
   * @param skip absolute file-system paths to leave out with their subtrees; null means none
   */
  public record Config(Filter filter, Set<Path> skip) {
    /** Scan everything on the root's file system. */
    public static final Config ALL = new Config(Filter.EMPTY, Set.of());

    public Config {
      filter = filter == null ? Filter.EMPTY : filter;
      Set<Path> clean = new HashSet<>();
      if (skip != null) {
        for (Path p : skip) {
          clean.add(p.toAbsolutePath().normalize());
        }
      }
      skip = Set.copyOf(clean);
    }
  }

  /**
   * Figures from one scan.
   *
   * @param entries entries in the tree
   * @param regularFiles distinct regular inodes
   * @param hashedFiles calls of the hasher (a file that changed mid-read counts again)
   * @param hashedBytes the sizes handed to the hasher (a caching hasher may have read fewer)
   * @param vanished entries left out because they disappeared or kept changing mid-scan
   */
  public record Stats(
      int entries,
      int regularFiles,
      int hashedFiles,
      long hashedBytes,
      int vanished,
      Duration duration) {}

  /** A scanned tree and how the scan went. */
  public record Result(FileTree tree, Stats stats) {}

  public TreeScanner(Config config, ContentHasher hasher) {
    this.config = Objects.requireNonNull(config, "config");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
  }

  /** A scanner of everything, hashing with SHA-512. */
  public static TreeScanner plain() {
    return new TreeScanner(Config.ALL, ContentHasher.sha512());
  }

  /**
   * Scans the directory {@code root}.
   *
   * @throws IOException if the root is not a directory, a directory cannot be listed, or the hasher
   *     fails other than by the file vanishing or changing
   * @throws InterruptedIOException if the thread is interrupted (checked per directory)
   */
  public Result scan(Path root) throws IOException {
    long start = System.nanoTime();
    Path top = root.toAbsolutePath().normalize();
    Posix.Stat rootStat = Posix.lstat(top);
    if (!rootStat.isDirectory()) {
      throw new NotDirectoryException("scan " + top + ": not a directory");
    }
    Walk walk = new Walk(rootStat.dev());
    Deque<Pending> todo = new ArrayDeque<>();
    todo.push(new Pending(top, TreePaths.ROOT, rootStat));
    while (!todo.isEmpty()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("scan " + top + ": interrupted");
      }
      Pending dir = todo.pop();
      if (!walk.listDirectory(dir, todo) && dir.treePath.equals(TreePaths.ROOT)) {
        throw new NoSuchFileException("scan " + top + ": the root vanished");
      }
    }
    FileTree tree = walk.builder.build();
    Stats stats =
        new Stats(
            tree.size(),
            walk.regularFiles,
            walk.hashedFiles,
            walk.hashedBytes,
            walk.vanished,
            Duration.ofNanos(System.nanoTime() - start));
    return new Result(tree, stats);
  }

  private record Pending(Path path, String treePath, Posix.Stat stat) {}

  /** The state of one scan. */
  private final class Walk {
    final long dev;
    final FileTree.Builder builder = new FileTree.Builder();
    // Inodes with more than one link, by inode number, so each is read and hashed once.
    final Map<Long, Inode> linked = new HashMap<>();
    int regularFiles;
    int hashedFiles;
    long hashedBytes;
    int vanished;

    Walk(long dev) {
      this.dev = dev;
    }

    /** Adds a directory and its children; subdirectories go on {@code todo}. */
    boolean listDirectory(Pending dir, Deque<Pending> todo) throws IOException {
      Posix.Stat st = dir.stat;
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.path)) {
        builder.add(
            dir.treePath,
            st.ino(),
            new DirectoryInode(st.mode(), st.uid(), st.gid(), st.mtimeNanos()));
        for (Path child : children) {
          String treePath = TreePaths.join(dir.treePath, child.getFileName().toString());
          if (config.filter().match(treePath) || config.skip().contains(child)) {
            continue;
          }
          Posix.Stat cs = Posix.lstatIfExists(child);
          if (cs == null) {
            gone(child);
          } else if (cs.dev() != dev) {
            // A mount point (or a bind-mounted file): another file system's business.
            continue;
          } else if (cs.isDirectory()) {
            todo.push(new Pending(child, treePath, cs));
          } else if (!cs.isSocket()) {
            addNonDirectory(child, treePath, cs);
          }
        }
      } catch (NoSuchFileException | NotDirectoryException e) {
        // Listing failed before any child was added: the directory went away.
        gone(dir.path);
        return false;
      } catch (DirectoryIteratorException e) {
        throw e.getCause();
      } catch (AccessDeniedException e) {
        throw unreadable(dir.path);
      }
      return true;
    }

    private void addNonDirectory(Path path, String treePath, Posix.Stat st) throws IOException {
      Inode known = st.nlink() > 1 ? linked.get(st.ino()) : null;
      if (known != null) {
        builder.add(treePath, st.ino(), known);
        return;
      }
      Inode inode;
      try {
        inode = readInode(path, st);
      } catch (NoSuchFileException e) {
        inode = null;
      } catch (AccessDeniedException e) {
        throw unreadable(path);
      }
      if (inode == null) {
        gone(path);
        return;
      }
      if (st.nlink() > 1) {
        linked.put(st.ino(), inode);
      }
      builder.add(treePath, st.ino(), inode);
    }

    /** The inode at {@code path}, or null if it vanished or never held still. */
    private Inode readInode(Path path, Posix.Stat st) throws IOException {
      FileType type = FileType.ofMode(st.mode());
      if (type == FileType.SYMLINK) {
        String target;
        try {
          target = Posix.readlink(path);
        } catch (PosixException e) {
          if (e.errno() == EINVAL) {
            return null; // no longer a symlink
          }
          throw e;
        }
        return new SymlinkInode(st.mode(), st.uid(), st.gid(), st.mtimeNanos(), target);
      }
      if (type.isSpecial()) {
        return new SpecialInode(st.mode(), st.uid(), st.gid(), st.mtimeNanos(), st.rdev());
      }
      Posix.Stat current = st;
      for (int attempt = 1; ; attempt++) {
        try {
          hashedFiles++;
          hashedBytes += current.size();
          Hash hash = hasher.hash(path, current);
          String capability = Posix.getCapability(path);
          regularFiles++;
          return new RegularInode(
              current.mode(),
              current.uid(),
              current.gid(),
              current.mtimeNanos(),
              current.size(),
              hash,
              capability);
        } catch (ContentChangedException e) {
          if (attempt == HASH_ATTEMPTS) {
            log.debug("Leaving {} out of this scan: {}", path, e.getMessage());
            return null;
          }
          current = Posix.lstatIfExists(path);
          if (current == null || !current.isRegular() || current.ino() != st.ino()) {
            return null;
          }
        }
      }
    }

    private AccessDeniedException unreadable(Path path) {
      return new AccessDeniedException(
          path.toString(), null, "scan: permission denied (scan as root, or exclude it)");
    }

    private void gone(Path path) {
      vanished++;
      log.debug("{} vanished during the scan", path);
    }
  }
}
