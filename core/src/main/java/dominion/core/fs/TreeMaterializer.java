package dominion.core.fs;

import dominion.core.hash.Hash;
import dominion.core.objectstore.HashMismatchException;
import dominion.core.objectstore.MissingObjectException;
import dominion.core.objectstore.ObjectGetter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link FileTree} into an empty or new directory, with file contents from an {@link
 * ObjectGetter} (each object's length and hash verified as it is written).
 *
 * <p>Order: every name first (directories, files, symlinks, hard links to the inode's first name,
 * devices and FIFOs), then per inode its owner, its permissions (after the owner, since chown
 * clears setuid bits), its capability and its mtime; directories last and deepest first, so that
 * their mtimes stick and read-only directories can still be filled.
 *
 * <p>Never writes outside the target: tree paths hold no {@code ..}, and before each name is made
 * its parent is checked to be the very directory this run made for it (same device and inode), so a
 * directory swapped for a symlink meanwhile is refused. On failure the target is left partly
 * written, for the caller to remove.
 */
public final class TreeMaterializer {
  private static final Logger log = LoggerFactory.getLogger(TreeMaterializer.class);
  private static final int BUFFER = 1 << 20;

  private final Config config;
  private final ObjectGetter objects;

  /**
   * What to reproduce beyond names, contents, permissions and times.
   *
   * @param owners set each inode's uid and gid (needs root)
   * @param capabilities set {@code security.capability} (needs root)
   * @param devices make character and block devices (needs root); FIFOs are always made
   */
  public record Config(boolean owners, boolean capabilities, boolean devices) {
    /** Everything, as root. */
    public static final Config EXACT = new Config(true, true, true);

    /** What an ordinary user can do: no owners, capabilities or devices. */
    public static final Config UNPRIVILEGED = new Config(false, false, false);
  }

  /** What a run made. */
  public record Result(int entries, long bytesWritten, int devicesSkipped) {}

  public TreeMaterializer(Config config, ObjectGetter objects) {
    this.config = Objects.requireNonNull(config, "config");
    this.objects = Objects.requireNonNull(objects, "objects");
  }

  /**
   * Writes {@code tree} into {@code target}, which must be an empty directory or not exist.
   *
   * @throws IOException naming the path that failed; for a missing object its cause is a {@link
   *     MissingObjectException}, for bad content a {@link HashMismatchException}
   */
  public Result materialize(FileTree tree, Path target) throws IOException {
    Path top = target.toAbsolutePath().normalize();
    prepare(top);
    Run run = new Run(top);
    run.dirs.put(TreePaths.ROOT, Posix.lstat(top));
    for (Entry e : tree.entries().subList(1, tree.size())) {
      run.make(e);
    }
    for (Map.Entry<Long, Path> first : run.firstName.entrySet()) {
      Inode inode = run.inodes.get(first.getKey());
      if (!(inode instanceof DirectoryInode)) {
        setMetadata(first.getValue(), inode);
      }
    }
    List<Entry> entries = tree.entries();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.inode() instanceof DirectoryInode) {
        setMetadata(run.pathOf(e.path()), e.inode());
      }
    }
    return new Result(run.made, run.bytes, run.devicesSkipped);
  }

  private static void prepare(Path top) throws IOException {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(top);
      return;
    }
    if (!Posix.lstat(top).isDirectory()) {
      throw new NotDirectoryException("materialize into " + top + ": not a directory");
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(top)) {
      if (children.iterator().hasNext()) {
        throw new DirectoryNotEmptyException(
            "materialize into " + top + ": the directory is not empty; give a new or empty one");
      }
    }
  }

  private void setMetadata(Path path, Inode inode) throws IOException {
    if (config.owners()) {
      Posix.lchown(path, inode.uid(), inode.gid());
    }
    if (!(inode instanceof SymlinkInode)) {
      Posix.chmod(path, inode.permissions());
    }
    if (config.capabilities() && inode instanceof RegularInode r && r.capability() != null) {
      Posix.setCapability(path, r.capability());
    }
    Posix.setMtime(path, inode.mtimeNanos());
  }

  /** The state of one run. */
  private final class Run {
    final Path top;
    // Directories this run made, by tree path, as lstat saw them just after.
    final Map<String, Posix.Stat> dirs = new HashMap<>();
    // The first name made for each inode number, in order, and that inode.
    final Map<Long, Path> firstName = new LinkedHashMap<>();
    final Map<Long, Inode> inodes = new HashMap<>();
    final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    int made;
    long bytes;
    int devicesSkipped;

    Run(Path top) {
      this.top = top;
    }

    Path pathOf(String treePath) {
      return treePath.equals(TreePaths.ROOT) ? top : top.resolve(treePath.substring(1));
    }

    void make(Entry e) throws IOException {
      Path path = pathOf(e.path());
      checkParent(e.path(), path);
      Path first = firstName.get(e.inum());
      if (first != null) {
        Files.createLink(path, first);
        made++;
        return;
      }
      switch (e.inode()) {
        case DirectoryInode d -> {
          Files.createDirectory(path);
          dirs.put(e.path(), Posix.lstat(path));
        }
        case RegularInode r -> writeFile(path, r);
        case SymlinkInode s -> Posix.symlink(s.target(), path);
        case SpecialInode s -> {
          if (s.type() != FileType.FIFO && !config.devices()) {
            devicesSkipped++;
            log.debug("Not making device {}", path);
            return;
          }
          Posix.mknod(path, s.mode(), s.rdev());
        }
      }
      made++;
      firstName.put(e.inum(), path);
      inodes.put(e.inum(), e.inode());
    }

    private void checkParent(String treePath, Path path) throws IOException {
      String parent = TreePaths.parent(treePath);
      Posix.Stat want = dirs.get(parent);
      Posix.Stat now = Posix.lstatIfExists(path.getParent());
      if (want == null
          || now == null
          || !now.isDirectory()
          || now.dev() != want.dev()
          || now.ino() != want.ino()) {
        throw new IOException(
            "materialize "
                + path
                + ": refused, its parent is not the directory made for it"
                + " (replaced by a symlink or removed while writing?)");
      }
    }

    private InputStream open(Path path, Hash hash) throws IOException {
      try {
        return objects.get(hash);
      } catch (MissingObjectException e) {
        throw new IOException("materialize " + path + ": " + e.getMessage(), e);
      }
    }

    private void writeFile(Path path, RegularInode r) throws IOException {
      MessageDigest digest = Hash.newDigest();
      long written = 0;
      // The file is opened before the object, so the parent checked just now is the one used.
      try (FileChannel out =
              FileChannel.open(
                  path,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS);
          InputStream in = open(path, r.hash())) {
        byte[] buf = buffer.array();
        for (int n; (n = in.read(buf)) > 0; ) {
          written += n;
          if (written > r.size()) {
            break;
          }
          digest.update(buf, 0, n);
          buffer.clear().limit(n);
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
        }
      }
      if (written != r.size()) {
        throw new IOException(
            "materialize "
                + path
                + ": object "
                + r.hash()
                + " has "
                + (written > r.size() ? "more than " + r.size() : written)
                + " bytes, the tree says "
                + r.size());
      }
      Hash actual = Hash.of(digest);
      if (!actual.equals(r.hash())) {
        HashMismatchException e = new HashMismatchException(r.hash(), actual);
        throw new IOException("materialize " + path + ": " + e.getMessage(), e);
      }
      bytes += written;
    }
  }
}
