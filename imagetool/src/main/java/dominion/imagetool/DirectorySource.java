package dominion.imagetool;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.fs.TreePaths;
import dominion.core.fs.TreeScanner;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.proto.imageserver.ObjectClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A directory to add: scanned (and hashed) once, then files read again by path to upload. */
final class DirectorySource implements ContentSource {
  private final Path root;
  private final FileTree tree;

  DirectorySource(Path root, Filter filter) throws IOException {
    this.root = root;
    this.tree = new TreeScanner(new TreeScanner.Config(filter, Set.of()), ContentHasher.sha512())
        .scan(root).tree();
  }

  @Override
  public FileTree tree() {
    return tree;
  }

  @Override
  public void copyContents(Set<Hash> wanted, ObjectClient.ObjectSink sink) throws IOException {
    Map<Hash, Entry> first = new LinkedHashMap<>();
    for (Entry e : tree.entries()) {
      if (e.inode() instanceof RegularInode r && wanted.contains(r.hash())) {
        first.putIfAbsent(r.hash(), e);
      }
    }
    for (Map.Entry<Hash, Entry> w : first.entrySet()) {
      RegularInode inode = (RegularInode) w.getValue().inode();
      Path file = fileOf(w.getValue().path());
      try (InputStream in = Files.newInputStream(file)) {
        sink.add(w.getKey(), inode.size(), in);
      } catch (IOException e) {
        throw new IOException("upload " + file + ": " + e.getMessage()
            + (e.getMessage() != null && e.getMessage().contains("bytes")
                ? "; it changed after it was scanned" : ""), e);
      }
    }
  }

  private Path fileOf(String treePath) {
    return treePath.equals(TreePaths.ROOT) ? root : root.resolve(treePath.substring(1));
  }

  @Override
  public void close() {}
}
