package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Where a {@link DiskObjectStore} keeps things: {@code DIR/ab/cdef...} (the first two hex digits of
 * the hash name a shard directory, the other 126 the file), and {@code DIR/.tmp/} for writes in
 * progress (a batch's in a directory of its own there), which a restart discards.
 */
public final class ObjectLayout {
  private final Path dir;

  public ObjectLayout(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The file that holds {@code hash}. */
  public Path pathOf(Hash hash) {
    String hex = hash.hex();
    return dir.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
  }

  /** The name of shard directory {@code i} (0 to 255): two lower-case hex digits. */
  public static String shardName(int i) {
    return HexFormat.of().toHexDigits((byte) i);
  }

  /** The directory of partial writes. */
  public Path tempDir() {
    return dir.resolve(".tmp");
  }

  /** Parses a shard directory name and file name back into a hash, or null if they are not one. */
  public static Hash hashOf(String shard, String file) {
    if (shard.length() != 2 || file.length() != Hash.LENGTH * 2 - 2) {
      return null;
    }
    try {
      return Hash.parse(shard + file);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
