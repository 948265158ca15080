package dominion.dominator.herd;

import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every sub the MDB names, each driven by its own virtual thread calling {@link Sub#step()}. The
 * threads are cheap (a sleeping virtual thread is a few hundred bytes of stack); what bounds the
 * load is the poll and diff permits they share. {@link #setMdb} adds and removes subs as the MDB
 * changes; a changed record (a new required image) is picked up at the sub's next round.
 */
public final class Herd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Herd.class);

  private final HerdContext ctx;
  private final Map<String, Running> subs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record Running(Sub sub, Thread thread) {}

  public Herd(
      HerdConfig config,
      ImageCache images,
      Controls controls,
      SubApi.Factory apis,
      java.time.Clock clock) {
    this.ctx = HerdContext.of(config, images, controls, apis, clock);
  }

  public HerdConfig config() {
    return ctx.config();
  }

  public HerdStats stats() {
    return ctx.stats();
  }

  public Controls controls() {
    return ctx.controls();
  }

  /** Makes the herd follow {@code mdb}: new machines start, gone ones stop. */
  public synchronized void setMdb(Mdb mdb) {
    if (closed) {
      return;
    }
    Set<String> names = new HashSet<>();
    Set<String> images = new HashSet<>();
    for (Machine m : mdb.machines()) {
      names.add(m.hostname());
      if (m.requiredImage() != null) {
        images.add(m.requiredImage());
      }
      if (m.plannedImage() != null) {
        images.add(m.plannedImage());
      }
      Running r = subs.get(m.hostname());
      if (r != null) {
        r.sub().setMachine(m);
      } else {
        Sub sub = new Sub(m, ctx);
        Thread t = Thread.ofVirtual().name("sub-" + m.hostname()).unstarted(() -> run(sub));
        subs.put(m.hostname(), new Running(sub, t));
        t.start();
      }
    }
    for (String gone : new ArrayList<>(subs.keySet())) {
      if (!names.contains(gone)) {
        Running r = subs.remove(gone);
        r.sub().stop();
        r.thread().interrupt();
        r.sub().close();
        log.info("sub {}: removed from the MDB; no longer polled", gone);
      }
    }
    ctx.images().retainOnly(images);
  }

  private void run(Sub sub) {
    try {
      // Spread the first polls over one interval so that a big MDB does not start as a stampede.
      long spread = ctx.config().pollInterval().toMillis();
      Thread.sleep(
          spread > 0 && subs.size() > 1 ? ThreadLocalRandom.current().nextLong(spread) : 0);
      while (!closed && !sub.stopped()) {
        Duration next;
        try {
          next = sub.step();
        } catch (RuntimeException e) {
          // A bug must not silence a sub for good: log it and try again later.
          log.error("sub {}: round failed: {}", sub.hostname(), e.toString(), e);
          next = ctx.config().maxBackoff();
        }
        if (!next.isZero()) {
          Thread.sleep(next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sub.close();
    }
  }

  /** The subs' views, sorted by hostname. */
  public List<SubView> views() {
    List<SubView> out = new ArrayList<>(subs.size());
    for (Running r : subs.values()) {
      out.add(r.sub().view());
    }
    out.sort(Comparator.comparing(v -> v.info().hostname()));
    return out;
  }

  /** One sub's view, or null if the MDB has no such machine. */
  public SubView view(String hostname) {
    Running r = subs.get(hostname);
    return r == null ? null : r.sub().view();
  }

  /** One sub's recent events, oldest first; empty if there is no such sub. */
  public List<String> events(String hostname) {
    Running r = subs.get(hostname);
    return r == null ? List.of() : r.sub().events();
  }

  /** How many subs are in each state. */
  public Map<SubState, Integer> counts() {
    Map<SubState, Integer> counts = new EnumMap<>(SubState.class);
    for (Running r : subs.values()) {
      counts.merge(r.sub().view().state(), 1, Integer::sum);
    }
    return counts;
  }

  public int size() {
    return subs.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Running r : subs.values()) {
      r.sub().stop();
      r.thread().interrupt();
    }
    for (Running r : subs.values()) {
      try {
        r.thread().join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
