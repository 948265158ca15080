package dominion.dominator.herd;

import dominion.core.image.Trigger;
import dominion.mdb.Machine;
import dominion.proto.dominator.SubInfo;
import dominion.proto.subd.SubdStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sub's state as others see it: the current state and since when, the last error, recent events,
 * and the published {@link SubView}. Written by the sub's thread; {@link #view()} and {@link
 * #events()} may be read from any thread.
 */
final class SubRecorder {
  private static final Logger log = LoggerFactory.getLogger(SubRecorder.class);
  private static final int EVENTS = 10;

  private final String hostname;
  private final Clock clock;
  // Guarded by this: the sub's thread writes, status pages read.
  private final Deque<String> events = new ArrayDeque<>(EVENTS);
  private SubState state = SubState.CONNECTING;
  private long stateSince;
  private String lastError;
  private String detail;
  private long lastPollMillis;
  private long lastPollDurationMillis;
  private volatile SubView view;

  SubRecorder(String hostname, Clock clock) {
    this.hostname = hostname;
    this.clock = clock;
    this.stateSince = clock.millis();
  }

  /**
   * Enters {@code next} (noting an event on a change of state or of a problem's detail) and returns
   * {@code delay}.
   *
   * @param why what the state is about; for a {@link SubState#problem()} state, the error
   */
  synchronized Duration set(SubState next, String why, Duration delay) {
    boolean changed = next != state;
    boolean newProblem = next.problem() && why != null && !why.equals(lastError);
    if (changed || newProblem) {
      if (changed) {
        stateSince = clock.millis();
      }
      String event =
          Instant.ofEpochMilli(clock.millis())
              + " "
              + next.label()
              + (why == null ? "" : ": " + why);
      if (events.size() == EVENTS) {
        events.removeFirst();
      }
      events.addLast(event);
      if (next.problem() && next != SubState.IMAGE_NOT_READY) {
        log.warn("sub {}: {}{}", hostname, next.label(), why == null ? "" : ": " + why);
      } else {
        log.info("sub {}: {}{}", hostname, next.label(), why == null ? "" : ": " + why);
      }
    }
    state = next;
    if (next.problem()) {
      lastError = why;
      detail = null;
    } else {
      detail = why;
      if (next == SubState.SYNCED) {
        lastError = null;
      }
    }
    return delay;
  }

  synchronized void polled(long atMillis, long durationMillis) {
    lastPollMillis = atMillis;
    if (durationMillis >= 0) {
      lastPollDurationMillis = durationMillis;
    }
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  SubView view() {
    return view;
  }

  /** Builds and publishes the view from the sub's latest facts. */
  synchronized void publish(
      Machine m, String address, SubdStatus status, Verdict v, Planned planned) {
    boolean current = v != null && !v.compliant();
    long bytes = current && !v.fetched() ? v.diff().bytesToFetch() : 0;
    String plannedState =
        m.plannedImage() == null || m.plannedImage().equals(m.requiredImage())
            ? null
            : planned == null || !planned.image().equals(m.plannedImage())
                ? "unknown"
                : planned.stage().label;
    SubInfo info =
        new SubInfo(
            hostname,
            address,
            state.label(),
            stateSince,
            m.requiredImage(),
            m.plannedImage(),
            status == null ? null : status.lastImage(),
            m.disableUpdates(),
            status == null ? 0 : status.generation(),
            lastPollMillis,
            lastPollDurationMillis,
            status == null ? 0 : status.lastScanEndMillis(),
            status == null ? 0 : status.lastUpdateWindowMillis(),
            bytes,
            plannedState,
            lastError,
            detail);
    view =
        new SubView(
            state,
            info,
            status,
            current && !v.fetched() ? v.diff().objectsToFetch().size() : 0,
            current ? v.diff().changedPaths() : 0,
            current
                ? v.diff().firedTriggers().stream().map(Trigger::service).distinct().toList()
                : List.of(),
            state == SubState.UNSAFE_UPDATE);
  }
}
