package dominion.imagetool;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.TreeScanner;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.tar.DirectorySource;
import dominion.core.tar.ImportSource;
import dominion.core.tar.TarImporter;
import dominion.proto.imageserver.ObjectClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Opens the source of {@code imagetool add}: a directory, or a tar archive (any compression). */
final class Sources {
  private Sources() {}

  static ContentSource open(Path source, Filter filter) throws IOException {
    if (Files.isDirectory(source)) {
      // Scanning with the filter skips excluded subtrees instead of hashing them for nothing.
      FileTree scanned =
          new TreeScanner(new TreeScanner.Config(filter, Set.of()), ContentHasher.sha512())
              .scan(source)
              .tree();
      return new FilteredSource(new DirectorySource(source, scanned), filter);
    }
    return new FilteredSource(TarImporter.open(source), filter);
  }

  /** The tree without the paths {@code filter} excludes (with their subtrees). */
  static FileTree without(FileTree tree, Filter filter) {
    if (filter == null || filter.isEmpty()) {
      return tree;
    }
    FileTree.Builder kept = new FileTree.Builder();
    for (Entry e : tree.entries()) {
      if (!filter.matchWithAncestors(e.path())) {
        kept.add(e);
      }
    }
    return kept.build();
  }

  /**
   * A directory or an archive (checked whole by its first pass before anything is uploaded), less
   * the filter's paths.
   */
  private static final class FilteredSource implements ContentSource {
    private final ImportSource archive;
    private final FileTree tree;

    FilteredSource(ImportSource archive, Filter filter) {
      this.archive = archive;
      this.tree = without(archive.tree(), filter);
    }

    @Override
    public FileTree tree() {
      return tree;
    }

    @Override
    public void copyContents(Set<Hash> wanted, ObjectClient.ObjectSink sink) throws IOException {
      archive.copyContents(wanted, sink::add);
    }

    @Override
    public void close() {}
  }
}
