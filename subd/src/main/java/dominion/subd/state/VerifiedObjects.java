package dominion.subd.state;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cache objects this process hashed itself (as it fetched them or copied them in) and the
 * identity of each file right after: device, inode, size and ctime. An update may use such an
 * object without hashing it again, as long as the file is still that one, untouched: any write,
 * chmod, chown, link or rename moves the ctime, and one link means no name in the tree shares it.
 * What is left is damage that changes no metadata (a failing disk), which the scanner's full
 * re-hash finds in installed files as in any other. Everything else is hashed again on use, as is
 * everything after a restart (nothing here is persisted). Bounded: when full it forgets everything
 * (entries of objects deleted since are never used again; forgetting only costs hashing).
 * Thread-safe.
 */
public final class VerifiedObjects {
  private record Identity(long dev, long ino, long size, long ctimeNanos) {}

  private final int capacity;
  private final ConcurrentHashMap<Hash, Identity> verified = new ConcurrentHashMap<>();

  /**
   * @param capacity most objects remembered
   */
  public VerifiedObjects(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Records that the file at {@code path} (the cache's file for {@code hash}) was just hashed and
   * holds {@code hash}. Call only after its name is in place: linking moves the ctime.
   */
  public void verified(Hash hash, Path path) throws IOException {
    if (capacity <= 0) {
      return;
    }
    if (verified.size() >= capacity) {
      verified.clear();
    }
    Posix.Stat st = Posix.lstat(path);
    verified.put(hash, new Identity(st.dev(), st.ino(), st.size(), st.ctimeNanos()));
  }

  /**
   * True if {@code st} (an lstat of the cache's file for {@code hash}) is the file recorded as
   * verified, unchanged since and with no other name.
   */
  public boolean unchanged(Hash hash, Posix.Stat st) {
    Identity id = verified.get(hash);
    return id != null
        && st.isRegular()
        && st.nlink() == 1
        && id.dev() == st.dev()
        && id.ino() == st.ino()
        && id.size() == st.size()
        && id.ctimeNanos() == st.ctimeNanos();
  }

  /** Forgets {@code hash} (its file left the cache). */
  public void forget(Hash hash) {
    verified.remove(hash);
  }

  public int size() {
    return verified.size();
  }
}
