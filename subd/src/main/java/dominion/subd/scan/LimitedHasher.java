package dominion.subd.scan;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import dominion.subd.limit.ScanLimits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * Reads and hashes a file, then sleeps as long as the scan's CPU and disk shares require. One per
 * thread (the reading hasher holds a buffer).
 */
final class LimitedHasher implements ContentHasher {
  private final ContentHasher reader = ContentHasher.sha512();
  private final ScanLimits limits;
  private final boolean background;

  /**
   * @param background pace as background work (the full re-hash)
   */
  LimitedHasher(ScanLimits limits, boolean background) {
    this.limits = limits;
    this.background = background;
  }

  @Override
  public Hash hash(Path file, Posix.Stat stat) throws IOException {
    try {
      return reader.hash(file, stat);
    } finally {
      try {
        if (background) {
          limits.backgroundMeter().settle();
        } else {
          limits.paceWithinPass();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("hash " + file + ": interrupted");
      }
    }
  }
}
