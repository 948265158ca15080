package dominion.core.tar;

import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.fs.TreeScanner;
import dominion.core.hash.Hash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A directory as an {@link ImportSource}: the first pass is a {@link TreeScanner} scan, the second
 * reads the wanted files from disk again (the sink verifies them, so a file changed in between is
 * caught there).
 */
public final class DirectorySource implements ImportSource {
  private final Path dir;
  private final FileTree tree;

  /** Wraps a tree already scanned from {@code dir}. */
  public DirectorySource(Path dir, FileTree tree) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.tree = Objects.requireNonNull(tree, "tree");
  }

  /** Scans all of {@code dir} (one file system, sockets skipped). */
  public static DirectorySource open(Path dir) throws IOException {
    return new DirectorySource(dir, TreeScanner.plain().scan(dir).tree());
  }

  public Path dir() {
    return dir;
  }

  @Override
  public FileTree tree() {
    return tree;
  }

  @Override
  public void copyContents(Set<Hash> wanted, ContentSink sink) throws IOException {
    Set<Hash> missing = new HashSet<>(wanted);
    missing.removeAll(contentHashes());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "copy contents of " + dir + ": " + missing.iterator().next() + " is not in the tree");
    }
    Set<Hash> todo = new HashSet<>(wanted);
    for (Entry e : tree.entries()) {
      if (todo.isEmpty()) {
        return;
      }
      if (e.inode() instanceof RegularInode r && todo.remove(r.hash())) {
        Path file = dir.resolve(e.path().substring(1));
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            InputStream in = Channels.newInputStream(ch)) {
          sink.accept(r.hash(), r.size(), in);
        }
      }
    }
  }
}
