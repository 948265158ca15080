package dominion.subd.limit;

/**
 * Keeps a flow of units (bytes, CPU nanoseconds) under a rate by sleeping the calling thread. A
 * caller reports what it used; the pacer sleeps until that use fits the rate since the start of the
 * current window. A window longer than one second of slack restarts, so idle time does not save up
 * into a burst. Thread-safe: threads sharing a pacer share its rate (each sleeps outside the lock).
 */
public final class Pacer {
  private static final long SLACK_NANOS = 1_000_000_000L;

  private final Sleeper sleeper;
  private long windowStart;
  private double used;

  /** Sleeps; tests pass a fake that advances a fake clock. */
  public interface Sleeper {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;
  }

  /** The real clock and {@link Thread#sleep}. */
  public static final Sleeper SYSTEM =
      new Sleeper() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
      };

  public Pacer(Sleeper sleeper) {
    this.sleeper = sleeper;
    this.windowStart = sleeper.nanoTime();
  }

  /**
   * Records {@code units} used and sleeps until they fit {@code perSecond}; an infinite or
   * non-positive rate means unlimited.
   *
   * @return nanoseconds slept
   */
  public long use(double units, double perSecond) throws InterruptedException {
    long wait = reserve(units, perSecond);
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
    return wait;
  }

  /** Records {@code units} used and returns how long the caller must wait (0 for none). */
  public synchronized long reserve(double units, double perSecond) {
    long now = sleeper.nanoTime();
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      windowStart = now;
      used = 0;
      return 0;
    }
    used += units;
    long due = windowStart + (long) (used / perSecond * 1e9);
    if (now > due + SLACK_NANOS) {
      windowStart = now;
      used = 0;
      return 0;
    }
    return Math.max(0, due - now);
  }
}
