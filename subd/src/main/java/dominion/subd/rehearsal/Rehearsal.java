package dominion.subd.rehearsal;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.Posix;
import dominion.core.objectstore.DiskObjectStore;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.UpdateRequest;
import dominion.subd.fetch.Fetcher;
import dominion.subd.fetch.RpcObjectSource;
import dominion.subd.scan.HashCache;
import dominion.subd.state.StateDir;
import dominion.subd.state.VerifiedObjects;
import dominion.subd.update.InodeWriter;
import dominion.subd.update.RootFs;
import dominion.subd.update.ServiceCommand;
import dominion.subd.update.UpdateResult;
import dominion.subd.update.Updater;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehearses fetches and updates on a scratch tree in the state directory, so that the JIT compiles
 * their code while the host is idle rather than during the first real update.
 *
 * <p>subd runs only the optimising compiler (see bin/subd), which compiles a method after 5,000
 * calls (or 10,000 calls and loop turns): a new subd's first large update runs mostly interpreted,
 * and the compiler threads take a core from it (in the benchmark, 1.3 s of compiler CPU during a
 * 1.3 s update of 1,200 files, against 0.6 s for the same update once warm). Each round here is a
 * real fetch (the Fetcher, its HTTP client, TLS, hashing and the cache's batches) from a {@link
 * RehearsalServer}, then a real update of the scratch root (through the same server's Subd.Update,
 * as the dominator calls it, then the Updater: new directories, files linked and copied from the
 * cache, symlinks, hard links, deletes, a metadata change). Only the services, the reboot and the
 * durable flushes are left out: there are no triggers, and nothing of a scratch tree needs to
 * survive a power cut.
 *
 * <p>The rehearsal stops, between a fetch and an update or between rounds, when a real fetch or
 * update begins (it would compete for the CPU); the scratch tree is removed at the end, and on the
 * next start if a crash left it.
 */
public final class Rehearsal {
  private static final Logger log = LoggerFactory.getLogger(Rehearsal.class);

  /**
   * @param rounds fetch-and-update rounds (0: no rehearsal)
   * @param files regular files in each round's image
   */
  public record Config(int rounds, int files) {
    /**
     * subd's: three rounds of 2,500 files (about 13-17 MiB each). The JIT compiles a method without
     * loops once it has been called 5,000 times, so code that runs once per file or per TLS record
     * needs more than 5,000 files (or records) in all: after three rounds of 1,500, the cache's
     * naming, the per-record TLS reads and the update's per-file tasks still compiled during the
     * first real update. Rounds past the first run the update's code on a tree it changes rather
     * than fills. On the benchmark's update (1,185 objects), five runs each, interleaved, the first
     * real update took 0.84 s against 0.85 s (means) after 3 x 1,500 files, later and third ones
     * 0.60 s against 0.63 s; in four runs with files up to 64 KiB, 0.70 s against 0.76 s and 0.51 s
     * against 0.60 s. The rehearsal takes 7-13 s instead of 4.5-6 s.
     */
    public static final Config DEFAULT = new Config(3, 2_500);

    public static final Config OFF = new Config(0, 0);
  }

  /** How the rehearsal went, for the status page and metrics. */
  public record Outcome(State state, int rounds, long millis, String detail) {
    static final Outcome PENDING = new Outcome(State.PENDING, 0, 0, "waiting for the first scan");

    /** True until the rehearsal has ended (or when there is none). */
    public boolean pending() {
      return state == State.PENDING || state == State.RUNNING;
    }
  }

  /** Where a rehearsal is. */
  public enum State {
    OFF,
    PENDING,
    RUNNING,
    DONE,
    /** Ended early: a real fetch or update began, or subd is stopping. */
    CUT_SHORT,
    FAILED
  }

  // The compiler counts as caught up once it has compiled for less than a tenth of the last QUIET
  // (a sub that is polled, or scans, keeps it compiling a little now and then); a rehearsal waits
  // for that MAX_COMPILER_WAIT at most, in all.
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final long IDLE_COMPILE_MILLIS = QUIET.toMillis() / 10;
  private static final Duration MAX_COMPILER_WAIT = Duration.ofSeconds(20);

  private final Config config;
  private final Path scratch;
  private final boolean tls;
  private final ExecutorService workers;
  private final BooleanSupplier busy;
  private volatile Outcome outcome;
  // How long this run has waited for the compiler (the rehearsal's thread only).
  private long compilerWaitMillis;

  /**
   * @param scratch a directory of its own (created, and removed at the end)
   * @param tls fetch over TLS, as this subd fetches from real imageservers
   * @param busy true while a real fetch or update runs
   */
  public Rehearsal(
      Config config, Path scratch, boolean tls, ExecutorService workers, BooleanSupplier busy) {
    this.config = config;
    this.scratch = scratch;
    this.tls = tls;
    this.workers = workers;
    this.busy = busy;
    this.outcome = config.rounds() == 0 ? new Outcome(State.OFF, 0, 0, "") : Outcome.PENDING;
  }

  public Outcome outcome() {
    return outcome;
  }

  /**
   * Removes a scratch tree a crash left behind, rehearsing or not (a subd restarted with no
   * rehearsal would keep it for good). Call before scanning.
   */
  public void removeLeftovers() throws IOException {
    deleteScratch();
  }

  /**
   * Runs every round on the calling thread; never throws (a failure is logged and kept in {@link
   * #outcome}), but returns early, with the interrupt flag set, when interrupted.
   */
  public void run() {
    if (config.rounds() == 0) {
      return;
    }
    long start = System.nanoTime();
    List<String> rounds = new ArrayList<>();
    compilerWaitMillis = 0;
    outcome = new Outcome(State.RUNNING, 0, 0, "");
    State end = State.FAILED;
    String failure = null;
    try {
      deleteScratch();
      Files.createDirectories(scratch);
      end = rehearse(rounds);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      end = State.CUT_SHORT;
    } catch (IOException | RuntimeException e) {
      failure = "rehearsal failed: " + e.getMessage();
    } finally {
      try {
        deleteScratch();
      } catch (IOException e) {
        log.warn("cannot remove the rehearsal's scratch tree {}: {}", scratch, e.getMessage());
      }
    }
    // The rounds grew the heap (buffers, requests, trees); a full collection gives it back now
    // rather than whenever one next comes, perhaps days later on an idle host.
    System.gc();
    awaitCompiler();
    String detail = failure != null ? failure : String.join("; ", rounds);
    outcome = new Outcome(end, rounds.size(), millisSince(start), detail);
    if (failure != null) {
      log.warn("{} (the first real update will be slower while the compiler catches up)", failure);
    } else {
      log.info(
          "rehearsal {} after {} of {} rounds in {} ms ({} ms of it waiting for the compiler): {}",
          end == State.DONE ? "done" : "cut short",
          rounds.size(),
          config.rounds(),
          outcome.millis(),
          compilerWaitMillis,
          detail);
    }
  }

  // Waits until the JIT has compiled what the rounds queued (see IDLE_COMPILE_MILLIS), within what
  // is left of MAX_COMPILER_WAIT, so that the compiler threads are done with it when the next round
  // starts or the rehearsal is reported ended; adds the wait to compilerWaitMillis.
  private void awaitCompiler() {
    long start = System.nanoTime();
    long budget = MAX_COMPILER_WAIT.toNanos() - compilerWaitMillis * 1_000_000;
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long last = jit.getTotalCompilationTime();
    try {
      while (System.nanoTime() - start < budget) {
        Thread.sleep(QUIET.toMillis());
        long now = jit.getTotalCompilationTime();
        if (now - last < IDLE_COMPILE_MILLIS) {
          break;
        }
        last = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      compilerWaitMillis += millisSince(start);
    }
  }

  private State rehearse(List<String> rounds) throws IOException {
    Path root = Files.createDirectories(scratch.resolve("root"));
    StateDir state = new StateDir(scratch.resolve("state"));
    DiskObjectStore cache = new DiskObjectStore(state.objects());
    VerifiedObjects verified = new VerifiedObjects(10 * config.files());
    Posix.Stat owner = Posix.lstat(root);
    ScratchImage image =
        new ScratchImage(config.files(), owner.uid(), owner.gid(), System.nanoTime());
    Updater updater =
        new Updater(
            new RootFs(root),
            cache,
            new InodeWriter(cache, verified, false),
            state,
            new ServiceCommand(new ServiceCommand.Config("true", "true", Duration.ofSeconds(10))),
            // A hash cache of its own, not none: the JIT compiles the update's calls to it for the
            // class it met here, and a real update's HashCache would make it compile them again.
            new HashCache(ContentHasher.sha512()),
            workers,
            () -> {});
    try (RehearsalServer server = new RehearsalServer(tls, updater, workers)) {
      Fetcher fetcher =
          new Fetcher(
              Fetcher.Config.DEFAULT,
              cache,
              () -> {},
              verified,
              new RpcObjectSource(server.client(), tls, Duration.ofMinutes(1)),
              percent -> Double.POSITIVE_INFINITY,
              workers,
              () -> {});
      SubdClient subd = server.subd();
      for (int r = 0; r < config.rounds(); r++) {
        if (busy.getAsBoolean() || Thread.currentThread().isInterrupted()) {
          return State.CUT_SHORT;
        }
        ScratchImage.Round round = image.next();
        server.serve(round.objects());
        long t0 = System.nanoTime();
        fetch(fetcher, server, round);
        long t1 = System.nanoTime();
        if (busy.getAsBoolean()) {
          return State.CUT_SHORT;
        }
        update(subd, updater, round.request());
        rounds.add(
            String.format(
                Locale.ROOT,
                "%d files, %.1f MiB: fetch %d ms, update %d ms",
                config.files(),
                round.bytes() / 1048576.0,
                (t1 - t0) / 1_000_000,
                millisSince(t1)));
        // While the compiler's queue is long, the JIT raises the call counts at which it compiles
        // (in proportion to the queue): let it catch up before the next round, so that the next
        // round's calls count in full.
        if (r < config.rounds() - 1) {
          awaitCompiler();
        }
      }
      return State.DONE;
    }
  }

  private static void fetch(Fetcher fetcher, RehearsalServer server, ScratchImage.Round round)
      throws IOException {
    fetcher.start(
        new FetchRequest(
            server.address(), round.objects().keySet().stream().map(h -> h.hex()).toList(), 100));
    awaitEnd(fetcher::inProgress, "fetching");
    if (fetcher.lastError() != null) {
      throw new IOException(fetcher.lastError());
    }
  }

  // Through the RPC server, as the dominator updates a subd; waits for the update to end.
  private static void update(SubdClient subd, Updater updater, UpdateRequest request)
      throws IOException {
    try {
      subd.update(request);
    } catch (RpcException e) {
      throw new IOException("update " + request.imageName() + ": " + e.getMessage(), e);
    }
    awaitEnd(updater::inProgress, "updating");
    UpdateResult result = updater.last();
    if (result == null || result.error() != null) {
      throw new IOException(
          "update "
              + request.imageName()
              + ": "
              + (result == null ? "no outcome" : result.error()));
    }
  }

  // Waits for a background fetch or update (they report no end but through inProgress).
  private static void awaitEnd(BooleanSupplier inProgress, String what)
      throws InterruptedIOException {
    while (inProgress.getAsBoolean()) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while " + what);
      }
    }
  }

  private void deleteScratch() throws IOException {
    if (Files.exists(scratch, LinkOption.NOFOLLOW_LINKS)) {
      new RootFs(scratch.getParent()).deleteTree(scratch);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
