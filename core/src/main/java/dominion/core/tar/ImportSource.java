package dominion.core.tar;

import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectAdder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Something an image is made from, a directory or an archive, read in two passes: the first (done
 * by {@link #open}) validates everything and builds the tree with each file's hash; the second
 * ({@link #copyContents}) streams just the contents the caller asks for, typically those the image
 * server lacks. Nothing is stored before the whole source has been validated.
 */
public interface ImportSource {
  /** The tree the first pass built. */
  FileTree tree();

  /**
   * Streams each wanted content to {@code sink} once, reading the source again.
   *
   * @param wanted hashes of regular files of {@link #tree()}
   * @throws IllegalArgumentException if a wanted hash is not in the tree
   * @throws IOException if the source cannot be read or changed since the first pass
   */
  void copyContents(Set<Hash> wanted, ContentSink sink) throws IOException;

  /**
   * Reads {@code path}: a directory is scanned ({@link DirectorySource}), anything else is read as
   * a tar archive, plain or compressed ({@link TarImporter}).
   *
   * @throws BadArchiveException if an archive is malformed, truncated or unsafe
   */
  static ImportSource open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return DirectorySource.open(path.toRealPath());
    }
    return TarImporter.open(path);
  }

  /** Every distinct content hash of the tree. */
  default Set<Hash> contentHashes() {
    Set<Hash> hashes = new HashSet<>();
    tree()
        .entries()
        .forEach(
            e -> {
              if (e.inode() instanceof RegularInode r) {
                hashes.add(r.hash());
              }
            });
    return hashes;
  }

  /** Copies every content into {@code store} and returns the tree. */
  default FileTree importInto(ObjectAdder store) throws IOException {
    copyContents(contentHashes(), ContentSink.into(store));
    return tree();
  }
}
