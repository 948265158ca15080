package dominion.subd.scan;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import dominion.subd.update.HashHints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers each regular file's hash under its device and inode, valid while its size, mtime and
 * ctime stay the same: the metadata pass re-reads only files whose metadata moved. As a {@link
 * ContentHasher} it answers from memory or reads through the wrapped hasher. The full re-hash
 * corrects entries whose content changed under unchanged metadata ({@link #correct}). Entries not
 * looked up during a scan are dropped at its end. Thread-safe.
 */
public final class HashCache implements ContentHasher, HashHints {
  private record Key(long dev, long ino) {}

  private record Value(long size, long mtimeNanos, long ctimeNanos, Hash hash, long scan) {
    boolean matches(Posix.Stat st) {
      return size == st.size() && mtimeNanos == st.mtimeNanos() && ctimeNanos == st.ctimeNanos();
    }
  }

  private final ContentHasher reader;
  private final Map<Key, Value> entries = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private volatile long scan;

  /**
   * @param reader hashes a file by reading it (rate-limited)
   */
  public HashCache(ContentHasher reader) {
    this.reader = reader;
  }

  @Override
  public Hash hash(Path file, Posix.Stat stat) throws IOException {
    Key key = new Key(stat.dev(), stat.ino());
    Value v = entries.get(key);
    if (v != null && v.matches(stat)) {
      if (v.scan != scan) {
        entries.put(key, new Value(v.size, v.mtimeNanos, v.ctimeNanos, v.hash, scan));
      }
      hits.incrementAndGet();
      return v.hash;
    }
    misses.incrementAndGet();
    Hash hash = reader.hash(file, stat);
    entries.put(key, new Value(stat.size(), stat.mtimeNanos(), stat.ctimeNanos(), hash, scan));
    return hash;
  }

  /** The cached hash if it is still valid for {@code stat}, else null. */
  public Hash peek(Posix.Stat stat) {
    Value v = entries.get(new Key(stat.dev(), stat.ino()));
    return v != null && v.matches(stat) ? v.hash : null;
  }

  /** Replaces the hash of a file whose content changed though its metadata did not. */
  public void correct(Posix.Stat stat, Hash hash) {
    entries.put(
        new Key(stat.dev(), stat.ino()),
        new Value(stat.size(), stat.mtimeNanos(), stat.ctimeNanos(), hash, scan));
  }

  @Override
  public void known(Posix.Stat stat, Hash hash) {
    correct(stat, hash);
  }

  /** Marks the start of a scan: entries it does not look up are dropped by {@link #endScan}. */
  public void beginScan() {
    scan++;
  }

  /** Drops entries the scan that just ended did not look up (deleted or replaced files). */
  public void endScan() {
    long current = scan;
    entries.values().removeIf(v -> v.scan < current - 1);
  }

  public int size() {
    return entries.size();
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }
}
