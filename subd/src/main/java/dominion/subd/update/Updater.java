package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.objectstore.DiskObjectStore;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.TriggerResult;
import dominion.proto.subd.UpdateRequest;
import dominion.subd.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs updates one at a time in the background and keeps their outcome for polls. On start it
 * finishes what a killed subd left: removes the temporary files of an unfinished update and starts
 * the services it had stopped. Thread-safe.
 */
public final class Updater {
  private static final Logger log = LoggerFactory.getLogger(Updater.class);

  private final Applier applier;
  private final RootFs root;
  private final DiskObjectStore cache;
  private final InodeWriter writer;
  private final StateDir state;
  private final ServiceCommand services;
  private final ExecutorService executor;
  private final Runnable onUpdateEnded;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile UpdateResult last;

  /**
   * @param onUpdateEnded called after each update (the scanner rescans at once)
   */
  public Updater(
      RootFs root,
      DiskObjectStore cache,
      InodeWriter writer,
      StateDir state,
      ServiceCommand services,
      HashHints hints,
      ExecutorService executor,
      Runnable onUpdateEnded) {
    this.root = root;
    this.cache = cache;
    this.writer = writer;
    this.state = state;
    this.services = services;
    this.executor = executor;
    this.onUpdateEnded = onUpdateEnded;
    this.applier = new Applier(root, cache, writer, state, services, hints, writer.durable());
  }

  public boolean inProgress() {
    return running.get();
  }

  /**
   * Counts update starts and ends: a scan that began under one value and ended under another may
   * have seen a half-applied tree.
   */
  public long epoch() {
    return epoch.get();
  }

  /** The last update's outcome, or null if none ran. */
  public UpdateResult last() {
    return last;
  }

  public long updates() {
    return updates.get();
  }

  public long failures() {
    return failures.get();
  }

  /**
   * Checks the request and starts applying it in the background.
   *
   * @throws IllegalArgumentException on a bad request (nothing changed)
   * @throws RpcException FAILED_PRECONDITION if an update is running
   */
  public void start(UpdateRequest request) {
    UpdatePlan plan = UpdatePlan.of(request);
    if (!running.compareAndSet(false, true)) {
      throw RpcException.failedPrecondition(
          "update refused: another update is in progress;"
              + " wait for it to end (see updateInProgress in Poll)");
    }
    epoch.incrementAndGet();
    try {
      executor.execute(() -> run(plan));
    } catch (RuntimeException e) {
      epoch.incrementAndGet();
      running.set(false);
      throw e;
    }
  }

  /** Applies a request now, on the calling thread (tests, and the background task). */
  public UpdateResult apply(UpdateRequest request) {
    return applier.apply(UpdatePlan.of(request), newId());
  }

  private void run(UpdatePlan plan) {
    try {
      UpdateResult result = applier.apply(plan, newId());
      updates.incrementAndGet();
      if (result.error() != null) {
        failures.incrementAndGet();
      }
      last = result;
    } catch (RuntimeException | Error e) {
      // Reported even for an Error, so that a poll never shows the previous update's outcome.
      failures.incrementAndGet();
      log.error("update to {} failed unexpectedly", plan.imageName(), e);
      last =
          new UpdateResult(
              "update to " + plan.imageName() + " failed: " + e,
              0,
              List.of(),
              System.currentTimeMillis());
      if (e instanceof Error error) {
        throw error;
      }
    } finally {
      epoch.incrementAndGet();
      running.set(false);
      onUpdateEnded.run();
    }
  }

  /**
   * Finishes an update a crash cut short: removes its temporary files and staged files, drops the
   * cache's names of objects it had already installed, and starts the services it stopped. Call
   * once, before serving.
   */
  public void recover() throws IOException {
    try (var leftovers = Files.newDirectoryStream(state.staging())) {
      for (Path p : leftovers) {
        root.deleteTree(p);
      }
    }
    Journal journal;
    try {
      journal = Journal.read(state.journalFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Written atomically, so only damage gets here; refusing to start would help nobody.
      String error =
          "update journal "
              + state.journalFile()
              + " was unreadable ("
              + e.getOriginalMessage()
              + "), so an interrupted update could not be cleaned up: its "
              + Journal.TEMP_PREFIX
              + "* temporary files may remain (a non-sparse update deletes them) and services it"
              + " stopped may need starting by hand";
      log.error("{}", error);
      Files.deleteIfExists(state.journalFile());
      last = new UpdateResult(error, 0, List.of(), System.currentTimeMillis());
      return;
    }
    if (journal == null) {
      return;
    }
    log.warn("update {} did not finish (subd was stopped or crashed); cleaning up", journal.id());
    int removed = 0;
    for (String temp : journal.temps()) {
      try {
        Path path = root.resolve(temp);
        Posix.Stat st = root.stat(path);
        if (st != null && path.getFileName().toString().startsWith(Journal.TEMP_PREFIX)) {
          root.deleteTree(path);
          removed++;
        }
      } catch (IOException e) {
        log.debug("temp {} not removed: {}", temp, e.getMessage());
      }
    }
    int dropped = dropSharedObjects();
    List<TriggerResult> results = new ArrayList<>();
    for (TriggerPlan.Start s : journal.toStart()) {
      if (journal.stopped().contains(s.service())) {
        results.add(services.run(s.service(), "start"));
      }
    }
    Files.deleteIfExists(state.journalFile());
    last =
        new UpdateResult(
            "update "
                + journal.id()
                + " was interrupted by a restart of subd;"
                + " removed "
                + removed
                + " temporary files and "
                + dropped
                + " cache names of installed files",
            0,
            results,
            System.currentTimeMillis());
  }

  /**
   * Drops the cache's name of every object that shares its inode with another name. An update that
   * links a cache object into the tree drops the cache's name once the file is in place (see {@link
   * InodeWriter}); a kill before that leaves the cache sharing a file of the tree, which a write
   * through the tree would change under the cache. Its temporary names are gone by now, so a second
   * name is a file in the tree, which still holds the content.
   */
  private int dropSharedObjects() throws IOException {
    List<dominion.core.hash.Hash> shared = new ArrayList<>();
    cache.forEach(
        h -> {
          try {
            Posix.Stat st = Posix.lstatIfExists(cache.pathOf(h));
            if (st != null && st.nlink() > 1) {
              shared.add(h);
            }
          } catch (IOException e) {
            log.debug("cannot stat object {}: {}", h, e.getMessage());
          }
        });
    for (dominion.core.hash.Hash h : shared) {
      writer.dropCacheName(h);
    }
    return shared.size();
  }

  private static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }
}
