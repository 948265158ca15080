package dominion.subd.scan;

import dominion.core.fs.ContentHasher;
import dominion.subd.limit.ScanLimits;

/** Makes the rate-limited reading hashers of the scan. */
public final class LimitedHashers {
  private LimitedHashers() {}

  /** A reading hasher paced by {@code limits}; for one thread (the metadata pass). */
  public static ContentHasher reading(ScanLimits limits) {
    return new LimitedHasher(limits, false);
  }
}
