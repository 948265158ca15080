package dominion.proto.rpc;

import java.time.Duration;

/**
 * A point in {@link System#nanoTime()} time, and the limit it was made from; {@link Long#MAX_VALUE}
 * and a null limit for none.
 */
record Deadline(long atNanos, Duration limit) {
  static final Deadline NONE = new Deadline(Long.MAX_VALUE, null);

  static Deadline after(Duration limit) {
    if (limit == null) {
      return NONE;
    }
    long now = System.nanoTime();
    long at = now + limit.toNanos();
    return new Deadline(at < now ? Long.MAX_VALUE : at, limit);
  }

  /** Nanoseconds left (negative once passed), or {@link Long#MAX_VALUE} for no deadline. */
  long leftNanos() {
    return atNanos == Long.MAX_VALUE ? Long.MAX_VALUE : atNanos - System.nanoTime();
  }

  /** The earlier of the two. */
  Deadline earlier(Deadline other) {
    return atNanos <= other.atNanos ? this : other;
  }
}
