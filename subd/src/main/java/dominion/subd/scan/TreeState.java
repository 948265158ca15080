package dominion.subd.scan;

import dominion.core.fs.FileTree;

/**
 * The sub's current picture of its root and its generation number. The generation moves when a scan
 * finds a tree different from the last one, and when the object cache changes (a poll carries both,
 * so the dominator must see either change). It starts from the wall clock in milliseconds, so a
 * restarted subd never reuses a generation an earlier run handed out. Thread-safe.
 */
public final class TreeState {
  /**
   * @param generation 0 until the first scan ends
   * @param tree the last scan's tree, or null before the first
   */
  public record Snapshot(
      long generation,
      FileTree tree,
      long scanCount,
      long lastScanEndMillis,
      long lastScanDurationMillis) {}

  private final long firstGeneration;
  private Snapshot current = new Snapshot(0, null, 0, 0, 0);

  public TreeState(long firstGeneration) {
    this.firstGeneration = firstGeneration;
  }

  public synchronized Snapshot snapshot() {
    return current;
  }

  /**
   * Records a finished scan; the generation moves only if {@code tree} differs from the last
   * (directory and symlink mtimes aside: see {@link SyncEquality}). The tree kept is always the
   * newest.
   *
   * @return true if the generation moved
   */
  public synchronized boolean publish(FileTree tree, long endMillis, long durationMillis) {
    boolean changed = current.tree() == null || !SyncEquality.same(current.tree(), tree);
    long generation = changed ? next() : current.generation();
    current = new Snapshot(generation, tree, current.scanCount() + 1, endMillis, durationMillis);
    return changed;
  }

  /** Moves the generation without a new tree (the cache changed). */
  public synchronized void bump() {
    if (current.tree() != null) {
      current =
          new Snapshot(
              next(),
              current.tree(),
              current.scanCount(),
              current.lastScanEndMillis(),
              current.lastScanDurationMillis());
    }
  }

  private long next() {
    return current.generation() == 0 ? firstGeneration : current.generation() + 1;
  }
}
