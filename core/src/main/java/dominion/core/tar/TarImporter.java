package dominion.core.tar;

import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectAdder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Imports a tar archive, plain or gzip, xz, zstd or bzip2 compressed (told apart by their magic
 * numbers, not the file name), in two streaming passes that never hold a file in memory: {@link
 * #open} reads the whole archive, checks it and hashes every file (nothing stored); {@link
 * #copyContents} reads it again and hands the wanted contents to a sink, stopping as soon as it has
 * them all.
 *
 * <p>Member types, owners (numeric), permissions, mtimes (nanoseconds from pax), devices, hard
 * links, symlinks and {@code SCHILY.xattr.security.capability} come through exactly; see {@link
 * TarTreeBuilder} for how names become a tree and what is refused. Every problem is a {@link
 * BadArchiveException} naming the archive and the entry.
 */
public final class TarImporter implements ImportSource {
  private static final int BUFFER = 1 << 20;

  private final Path archive;
  private final FileTree tree;
  // For each content, the ordinal of a member holding it (any will do: same hash, same bytes).
  private final Map<Hash, Integer> contentAt;

  private TarImporter(Path archive, FileTree tree, Map<Hash, Integer> contentAt) {
    this.archive = archive;
    this.tree = tree;
    this.contentAt = contentAt;
  }

  /**
   * The first pass: reads and checks the whole archive and builds its tree.
   *
   * @throws BadArchiveException if the archive is corrupt, truncated or unsafe
   */
  public static TarImporter open(Path archive) throws IOException {
    Objects.requireNonNull(archive, "archive");
    TarTreeBuilder builder = new TarTreeBuilder(archive.toString());
    Map<Hash, Integer> contentAt = new HashMap<>();
    byte[] buf = new byte[BUFFER];
    MessageDigest digest = Hash.newDigest();
    try (TarReader reader = TarReader.open(archive)) {
      for (TarEntry e; (e = reader.next()) != null; ) {
        Hash hash = null;
        if (e.isRegular()) {
          digest.reset();
          try (InputStream data = reader.data()) {
            for (int n; (n = data.read(buf)) > 0; ) {
              digest.update(buf, 0, n);
            }
          }
          hash = Hash.of(digest);
          contentAt.putIfAbsent(hash, e.ordinal());
        }
        builder.add(e, hash);
      }
    }
    return new TarImporter(archive, builder.build(), contentAt);
  }

  /** The tree of {@code archive} (one pass; nothing stored). */
  public static FileTree scan(Path archive) throws IOException {
    return open(archive).tree();
  }

  /** Both passes: checks {@code archive}, then streams the wanted contents to {@code sink}. */
  public static void copyContents(Path archive, Set<Hash> wanted, ContentSink sink)
      throws IOException {
    open(archive).copyContents(wanted, sink);
  }

  /**
   * Both passes: checks {@code archive}, then adds every content to {@code store}. A bad archive
   * adds nothing.
   */
  public static FileTree importInto(Path archive, ObjectAdder store) throws IOException {
    return open(archive).importInto(store);
  }

  public Path archive() {
    return archive;
  }

  @Override
  public FileTree tree() {
    return tree;
  }

  @Override
  public void copyContents(Set<Hash> wanted, ContentSink sink) throws IOException {
    Map<Integer, Hash> todo = new HashMap<>();
    for (Hash h : wanted) {
      Integer ordinal = contentAt.get(h);
      if (ordinal == null) {
        throw new IllegalArgumentException(
            "copy contents of " + archive + ": " + h + " is not the content of any file in it");
      }
      todo.put(ordinal, h);
    }
    if (todo.isEmpty()) {
      return;
    }
    try (TarReader reader = TarReader.open(archive)) {
      for (TarEntry e; !todo.isEmpty() && (e = reader.next()) != null; ) {
        Hash hash = todo.remove(e.ordinal());
        if (hash != null) {
          if (!e.isRegular()) {
            throw changed(e.name());
          }
          sink.accept(hash, e.size(), reader.data());
        }
      }
    }
    if (!todo.isEmpty()) {
      throw changed("#" + todo.keySet().iterator().next());
    }
  }

  private IOException changed(String entry) {
    return new IOException(
        "copy contents of "
            + archive
            + ": entry "
            + entry
            + " differs from the first pass;"
            + " the archive changed while it was imported");
  }
}
