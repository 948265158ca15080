package dominion.core.fs;

import dominion.core.hash.Hash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Reads a file through one reused 1 MiB buffer into SHA-512: as fast as {@code sha512sum}, and
 * never more than the buffer in memory. Hashes exactly {@code stat.size()} bytes, then checks with
 * a second lstat that the file did not change meanwhile. Not thread-safe.
 */
final class Sha512Hasher implements ContentHasher {
  private static final int BUFFER = 1 << 20;

  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private final MessageDigest digest = Hash.newDigest();

  @Override
  public Hash hash(Path file, Posix.Stat stat) throws IOException {
    digest.reset();
    long want = stat.size();
    long done = 0;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (done < want) {
        buffer.clear();
        if (want - done < BUFFER) {
          buffer.limit((int) (want - done));
        }
        int n = ch.read(buffer);
        if (n < 0) {
          throw new ContentChangedException(
              file, "it ended after " + done + " of " + want + " bytes");
        }
        digest.update(buffer.array(), 0, n);
        done += n;
      }
    }
    Posix.Stat after = Posix.lstat(file);
    if (after.ino() != stat.ino()
        || after.size() != stat.size()
        || after.mtimeNanos() != stat.mtimeNanos()
        || after.ctimeNanos() != stat.ctimeNanos()) {
      throw new ContentChangedException(file, "its size, mtime or ctime changed");
    }
    return Hash.of(digest);
  }
}
