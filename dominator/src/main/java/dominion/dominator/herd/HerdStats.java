package dominion.dominator.herd;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the herd did, for {@code /metrics} and benchmarks. Thread-safe. */
public final class HerdStats {
  final LongAdder polls = new LongAdder();
  final LongAdder treePolls = new LongAdder();
  final LongAdder pollFailures = new LongAdder();
  final LongAdder fetches = new LongAdder();
  final LongAdder updates = new LongAdder();

  /** Polls answered (short and full). */
  public long polls() {
    return polls.sum();
  }

  /** Polls that brought the sub's tree. */
  public long treePolls() {
    return treePolls.sum();
  }

  public long pollFailures() {
    return pollFailures.sum();
  }

  /** Fetches sent (required and planned images). */
  public long fetches() {
    return fetches.sum();
  }

  /** Updates sent. */
  public long updates() {
    return updates.sum();
  }

  /** The counters in Prometheus' text format. */
  public String prometheus() {
    return counter("dominator_polls_total", polls())
        + counter("dominator_tree_polls_total", treePolls())
        + counter("dominator_poll_failures_total", pollFailures())
        + counter("dominator_fetches_total", fetches())
        + counter("dominator_updates_total", updates());
  }

  private static String counter(String name, long value) {
    return "# TYPE " + name + " counter\n" + name + " " + value + "\n";
  }
}
