package dominion.dominator.herd;

import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.dominator.diff.Diff;
import dominion.mdb.Machine;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sub's life in the herd: poll, judge the tree against the required image, fetch, update, wait
 * for a fresh scan, again. {@link #step()} does one round and says when the next is due; the herd
 * calls it from the sub's own virtual thread, so every field below is touched by that one thread
 * only, except {@link #machine} (set by the herd on MDB changes) and the published {@link SubView}.
 *
 * <p>A sub's tree is never kept: it is judged when it arrives and only the {@link Verdict} stays,
 * valid while the sub's generation and required image stay the same. Polls ask for no tree while
 * the verdict is valid (the sub answers briefly when its generation is unchanged).
 */
final class Sub {
  private static final Logger log = LoggerFactory.getLogger(Sub.class);
  private static final Duration BUSY_INTERVAL = Duration.ofMillis(500);

  /** Work the sub is doing for us, which later polls follow. */
  private enum Pending {
    NONE,
    FETCH,
    PLANNED_FETCH,
    UPDATE,
    FRESH_SCAN
  }

  private final String hostname;
  private final HerdContext ctx;
  private final SubRecorder recorder;
  private final Judge judge;
  private volatile Machine machine;
  private volatile boolean stopped;
  private SubApi api;
  private String address;
  private long knownGeneration;
  private boolean needFullPoll = true;
  private long subdStart;
  private SubdStatus status;
  private Verdict verdict;
  private Planned planned;
  private Pending pending = Pending.NONE;
  private long pendingMark;
  private Controls.Slot slot;
  private int pollFailures;
  private int actionFailures;

  Sub(Machine machine, HerdContext ctx) {
    this.hostname = machine.hostname();
    this.machine = machine;
    this.ctx = ctx;
    this.recorder = new SubRecorder(hostname, ctx.clock());
    this.judge = new Judge(ctx);
    publish();
  }

  String hostname() {
    return hostname;
  }

  void setMachine(Machine m) {
    machine = m;
  }

  Machine machine() {
    return machine;
  }

  SubView view() {
    return recorder.view();
  }

  List<String> events() {
    return recorder.events();
  }

  /** Asks the sub's loop to end (it leaves the herd). */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  /** Gives back what the sub holds (an update slot) when it leaves the herd. */
  void close() {
    releaseSlot();
  }

  /** One round: poll and act. Returns the time until the next round. */
  Duration step() throws InterruptedException {
    Machine m = machine;
    connect(m);
    boolean shortOnly =
        pending == Pending.FETCH || pending == Pending.UPDATE || pending == Pending.FRESH_SCAN;
    long have = needFullPoll ? 0 : knownGeneration;
    Duration next;
    ctx.polls().acquire();
    try {
      long start = ctx.clock().millis();
      PollResult r;
      try {
        r = api.poll(have, shortOnly);
      } catch (RpcException e) {
        ctx.stats().pollFailures.increment();
        recorder.polled(ctx.clock().millis(), -1);
        next = pollFailed(e);
        publish();
        return next;
      }
      recorder.polled(ctx.clock().millis(), ctx.clock().millis() - start);
      ctx.stats().polls.increment();
      pollFailures = 0;
      next = afterPoll(m, r, have);
    } finally {
      // Held until the tree is judged, so the permits bound the trees in memory too.
      ctx.polls().release();
    }
    publish();
    return next;
  }

  private void connect(Machine m) {
    String wanted = m.dialAddress() + ":" + m.dialPort();
    if (!wanted.equals(address)) {
      api = ctx.apis().open(m.dialAddress(), m.dialPort());
      address = wanted;
      forget();
    }
  }

  // Forgets everything learnt from the sub (it moved, or its subd restarted).
  private void forget() {
    releaseSlot();
    knownGeneration = 0;
    needFullPoll = true;
    verdict = null;
    planned = null;
    pending = Pending.NONE;
  }

  private Duration pollFailed(RpcException e) {
    pollFailures++;
    // An update may still run there, but a sub we cannot see must not hold a fleet-wide slot.
    releaseSlot();
    SubState s = e.code() == ErrorCode.UNAVAILABLE ? SubState.UNREACHABLE : SubState.POLL_FAILED;
    return recorder.set(s, e.getMessage(), backoff(pollFailures));
  }

  private Duration afterPoll(Machine m, PollResult r, long have) throws InterruptedException {
    SubdStatus s = r.response().status();
    if (status != null && s.startTimeMillis() != subdStart) {
      log.info("sub {}: subd restarted; starting over", hostname);
      forget();
    }
    subdStart = s.startTimeMillis();
    status = s;
    long generation = r.response().generation();
    FileTree tree = null;
    Set<Hash> cache = null;
    if (r.response().hasTree() && r.tree() != null && s.generation() != generation) {
      // subd took the tree, then the status: a scan published between the two, so the status
      // (update state, scan times) describes a newer tree than this one. Ask again.
      needFullPoll = true;
      return Duration.ZERO;
    }
    if (r.response().hasTree() && r.tree() != null) {
      tree = r.tree();
      cache = r.cachedObjects();
      ctx.stats().treePolls.increment();
      knownGeneration = generation;
      needFullPoll = false;
    } else if (have == 0 && !shortOnlyPending() && generation != 0) {
      return recorder.set(
          SubState.POLL_FAILED,
          "sub answered a full poll without its tree",
          backoff(++actionFailures));
    }
    if (generation == 0) {
      return recorder.set(
          SubState.WAITING_FOR_SCAN, "subd has not finished its first scan", BUSY_INTERVAL);
    }
    Duration busy = followPending(s);
    if (busy != null) {
      return busy;
    }
    return decide(m, s, generation, tree, cache, r.response().lastTriggers());
  }

  private boolean shortOnlyPending() {
    return pending == Pending.FETCH || pending == Pending.UPDATE || pending == Pending.FRESH_SCAN;
  }

  // Follows work the sub does for us; returns the next delay while it goes on, or null to decide.
  private Duration followPending(SubdStatus s) {
    if (pending == Pending.UPDATE) {
      if (s.updateInProgress()) {
        return recorder.set(SubState.UPDATING, null, BUSY_INTERVAL);
      }
      releaseSlot();
      if (s.lastUpdateError() != null) {
        pending = Pending.NONE;
        return recorder.set(SubState.UPDATE_FAILED, s.lastUpdateError(), backoff(++actionFailures));
      }
      ctx.controls().forgetSafety(hostname);
      pending = Pending.FRESH_SCAN;
      pendingMark = s.lastUpdateEndMillis();
    }
    if (pending == Pending.FRESH_SCAN) {
      // A scan that started after the update ended (both times on the sub's clock).
      if (s.lastScanStartMillis() <= pendingMark) {
        return recorder.set(SubState.WAITING_FOR_FRESH_SCAN, null, BUSY_INTERVAL);
      }
      pending = Pending.NONE;
      needFullPoll = true;
      return Duration.ZERO;
    }
    if (pending == Pending.FETCH) {
      if (s.fetchInProgress()) {
        return recorder.set(SubState.FETCHING, null, BUSY_INTERVAL);
      }
      pending = Pending.NONE;
      if (s.lastFetchError() != null) {
        verdict = null;
        return recorder.set(SubState.FETCH_FAILED, s.lastFetchError(), backoff(++actionFailures));
      }
      if (verdict != null) {
        verdict = verdict.withFetched();
      }
    }
    if (pending == Pending.PLANNED_FETCH && !s.fetchInProgress()) {
      pending = Pending.NONE;
      planned =
          planned.at(
              s.lastFetchError() == null ? Planned.Stage.FETCHED : Planned.Stage.FAILED,
              s.lastFetchError());
    }
    if (pending == Pending.NONE) {
      return followUnseenUpdate(s);
    }
    return null;
  }

  /**
   * Follows an update this loop did not see through: one whose Update call failed although subd
   * started it (the answer was lost or came too late), one subd refused because another was
   * running, or one from before a restart of the dominator. Until a scan that started after it
   * ended, the tree and any verdict drawn from it are of the sub before the update: judging them
   * would send the same update again. Returns null when there is none to follow.
   */
  private Duration followUnseenUpdate(SubdStatus s) {
    if (s.updateInProgress()) {
      pending = Pending.UPDATE;
      return recorder.set(SubState.UPDATING, "the sub is applying an update", BUSY_INTERVAL);
    }
    if (s.lastUpdateEndMillis() > 0 && s.lastScanStartMillis() <= s.lastUpdateEndMillis()) {
      pending = Pending.FRESH_SCAN;
      pendingMark = s.lastUpdateEndMillis();
      return recorder.set(SubState.WAITING_FOR_FRESH_SCAN, null, BUSY_INTERVAL);
    }
    return null;
  }

  // previousTriggers: the triggers of the sub's last image, sent with its tree (null if not).
  private Duration decide(
      Machine m,
      SubdStatus s,
      long generation,
      FileTree tree,
      Set<Hash> cache,
      List<Trigger> previousTriggers)
      throws InterruptedException {
    Duration interval = ctx.config().pollInterval();
    String required = m.requiredImage();
    if (required == null) {
      verdict = null;
      return recorder.set(SubState.NO_REQUIRED_IMAGE, null, interval);
    }
    ImageCache.Lookup lookup = ctx.images().get(required);
    if (lookup instanceof ImageCache.Lookup.NotReady notReady) {
      return recorder.set(SubState.IMAGE_NOT_READY, notReady.reason(), interval);
    }
    ImageCache.Lookup.Ready image = (ImageCache.Lookup.Ready) lookup;
    if (tree != null) {
      verdict = judge.verdict(generation, required, image, tree, cache, previousTriggers, s);
      if (verdict.compliant()) {
        planned = judge.planned(m, generation, tree, cache, s);
        judge.cleanup(api, hostname, verdict, planned, cache);
      }
    } else if (verdict == null || !verdict.validFor(generation, required)) {
      needFullPoll = true;
      return Duration.ZERO;
    }
    if (verdict.compliant()) {
      actionFailures = 0;
      Duration d = recorder.set(SubState.SYNCED, null, interval);
      prefetchPlanned(m, s, generation);
      return d;
    }
    return converge(m, s, required);
  }

  private Duration converge(Machine m, SubdStatus s, String required) {
    Duration interval = ctx.config().pollInterval();
    if (ctx.controls().updatesDisabled()) {
      var sw = ctx.controls().updatesSwitch();
      return recorder.set(
          SubState.UPDATES_DISABLED,
          "updates disabled fleet-wide by " + sw.by() + ": " + sw.reason(),
          interval);
    }
    if (m.disableUpdates()) {
      return recorder.set(SubState.UPDATES_DISABLED, "DisableUpdates is set in the MDB", interval);
    }
    Diff diff = verdict.diff();
    if (verdict.unsafe()
        && !m.safetyCheckDisabled()
        && !ctx.controls().safetyCleared(hostname, required)) {
      return recorder.set(
          SubState.UNSAFE_UPDATE,
          "update to "
              + required
              + " would remove "
              + diff.filesRemoved()
              + " of "
              + diff.subFiles()
              + " files; held until"
              + " 'domtool clear-safety-shutoff "
              + hostname
              + "'",
          interval);
    }
    if (verdict.needsFetch()) {
      return fetch(s, diff);
    }
    Controls.Slot taken = ctx.controls().tryTakeUpdateSlot(diff.highImpact());
    if (taken == null) {
      return recorder.set(
          SubState.UPDATE_QUEUED,
          diff.highImpact()
              ? "waiting for a high-impact update slot"
              : "waiting for an update slot",
          interval);
    }
    try {
      api.update(diff.update());
    } catch (RpcException e) {
      taken.release();
      verdict = null;
      if (e.code() == ErrorCode.FAILED_PRECONDITION) {
        // Another update runs there: follow it to its end and a fresh scan, then judge again.
        pending = Pending.UPDATE;
        return recorder.set(SubState.UPDATING, e.getMessage(), BUSY_INTERVAL);
      }
      // The update may have started all the same; the next poll tells (followUnseenUpdate).
      return recorder.set(SubState.UPDATE_FAILED, e.getMessage(), backoff(++actionFailures));
    }
    ctx.stats().updates.increment();
    slot = taken;
    pending = Pending.UPDATE;
    pendingMark = s.lastUpdateEndMillis();
    log.info(
        "sub {}: updating to {}: {} paths{}",
        hostname,
        required,
        diff.changedPaths(),
        diff.firedTriggers().isEmpty() ? "" : ", triggers " + Judge.services(diff));
    verdict = null;
    planned = null;
    return recorder.set(SubState.UPDATING, null, BUSY_INTERVAL);
  }

  private Duration fetch(SubdStatus s, Diff diff) {
    if (s.fetchInProgress()) {
      return recorder.set(SubState.FETCHING, "waiting for the sub's running fetch", BUSY_INTERVAL);
    }
    String space = Judge.spaceProblem(s, diff.bytesToFetch());
    if (space != null) {
      return recorder.set(SubState.INSUFFICIENT_SPACE, space, ctx.config().pollInterval());
    }
    try {
      api.fetch(
          new FetchRequest(
              ctx.config().imageServerAddress(),
              diff.objectsToFetch().stream().map(Hash::hex).toList(),
              ctx.config().fetchSpeedPercent()));
    } catch (RpcException e) {
      if (e.code() == ErrorCode.FAILED_PRECONDITION) {
        return recorder.set(SubState.FETCHING, e.getMessage(), BUSY_INTERVAL);
      }
      return recorder.set(SubState.FETCH_FAILED, e.getMessage(), backoff(++actionFailures));
    }
    ctx.stats().fetches.increment();
    pending = Pending.FETCH;
    return recorder.set(
        SubState.FETCHING,
        diff.objectsToFetch().size() + " objects, " + diff.bytesToFetch() + " bytes",
        BUSY_INTERVAL);
  }

  // Pre-fetches the planned image's objects into a synced sub, once per generation.
  private void prefetchPlanned(Machine m, SubdStatus s, long generation) {
    String wanted = m.plannedImage();
    if (wanted == null || wanted.equals(m.requiredImage())) {
      planned = null;
      return;
    }
    if (planned == null
        || planned.generation() != generation
        || !planned.image().equals(wanted)
        || planned.stage() == Planned.Stage.NOT_READY) {
      // Working out what it lacks needs the tree; ask for it once the image can be loaded.
      if (ctx.images().get(wanted) instanceof ImageCache.Lookup.Ready) {
        needFullPoll = true;
      }
      return;
    }
    if (planned.stage() != Planned.Stage.PENDING
        || pending != Pending.NONE
        || s.fetchInProgress()) {
      return;
    }
    String space = Judge.spaceProblem(s, planned.bytes());
    if (space != null) {
      planned = planned.at(Planned.Stage.FAILED, space);
      return;
    }
    try {
      api.fetch(
          new FetchRequest(
              ctx.config().imageServerAddress(),
              planned.objects().stream().map(Hash::hex).toList(),
              ctx.config().fetchSpeedPercent()));
      ctx.stats().fetches.increment();
      pending = Pending.PLANNED_FETCH;
      planned = planned.at(Planned.Stage.FETCHING, null);
    } catch (RpcException e) {
      planned = planned.at(Planned.Stage.FAILED, e.getMessage());
    }
  }

  private Duration backoff(int failures) {
    long min = ctx.config().minBackoff().toMillis();
    long max = ctx.config().maxBackoff().toMillis();
    int shift = Math.min(Math.max(failures - 1, 0), 20);
    return Duration.ofMillis(Math.min(max, min << shift));
  }

  private void releaseSlot() {
    if (slot != null) {
      slot.release();
      slot = null;
    }
  }

  private void publish() {
    recorder.publish(machine, address, status, pending == Pending.NONE ? verdict : null, planned);
  }

  /** For tests: the generation the next poll will claim to have (0 = asks for the tree). */
  long nextHaveGeneration() {
    return needFullPoll ? 0 : knownGeneration;
  }
}
