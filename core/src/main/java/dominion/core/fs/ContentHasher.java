package dominion.core.fs;

import dominion.core.hash.Hash;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Names a regular file's content for {@link TreeScanner}. The default, {@link #sha512()}, reads and
 * hashes the file; subd plugs in one that reuses a cached hash while the file's device, inode,
 * size, mtime and ctime are unchanged, and one that limits the read rate.
 */
@FunctionalInterface
public interface ContentHasher {
  /**
   * The SHA-512 of the file's content.
   *
   * @param stat the {@link Posix#lstat} taken just before; {@code stat.size()} bytes are hashed
   * @throws java.nio.file.NoSuchFileException if the file has gone (the scanner skips it)
   * @throws ContentChangedException if the file changed while it was read (the scanner takes a
   *     fresh lstat and tries again)
   */
  Hash hash(Path file, Posix.Stat stat) throws IOException;

  /** A new reading hasher with its own 1 MiB buffer; not thread-safe, so one per thread. */
  static ContentHasher sha512() {
    return new Sha512Hasher();
  }
}
