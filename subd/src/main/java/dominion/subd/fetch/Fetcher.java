package dominion.subd.fetch;

import dominion.core.hash.Hash;
import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.HashMismatchException;
import dominion.core.objectstore.ObjectBatch;
import dominion.core.objectstore.StoreFlush;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.LengthBody;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.FetchRequest;
import dominion.subd.limit.Pacer;
import dominion.subd.state.VerifiedObjects;
import dominion.subd.sys.DiskFull;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls objects from an imageserver into the cache, one fetch at a time, in the background. Every
 * object is hashed as it is written and kept only if the hash is the one asked for. The transfer is
 * paced to a share of the network's bandwidth. Each GetObjects call's objects are added as one
 * {@link ObjectBatch}, so they share their flushes (two syncfs calls for the whole batch, given a
 * {@link StoreFlush}), and are then remembered as verified, so an update need not hash them again.
 */
public final class Fetcher {
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

  /**
   * @param batchSize hashes per GetObjects call
   * @param commitEvery objects per commit (each commit makes its objects durable and visible)
   * @param commitBytes bytes after which a commit starts before {@code commitEvery} objects
   */
  public record Config(int batchSize, int commitEvery, long commitBytes) {
    /**
     * subd's: one GetObjects stream for a typical update, its objects committed (two syncfs) every
     * 250 objects or 8 MiB, in the background, so that a long fetch keeps what it got and the last
     * commit, the one the fetch waits for, has little left to write. A commit every 1,000 objects
     * made the benchmark's fetch of 1,185 objects (40 MiB) wait 90-141 ms for its last one, every
     * 250 objects 14-22 ms.
     */
    public static final Config DEFAULT = new Config(10_000, 250, 8 << 20);
  }

  private final Config config;
  private final DiskObjectStore cache;
  private final StoreFlush flush;
  private final VerifiedObjects verified;
  private final ObjectSource source;
  private final IntToDoubleFunction bytesPerSecond;
  private final ExecutorService executor;
  private final Runnable onCacheChanged;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong objectsFetched = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String lastError;
  private volatile long lastEndMillis;

  /**
   * @param bytesPerSecond the rate for a request's speed percentage (0 = the configured default);
   *     infinity for unlimited
   * @param flush flushes the cache's file system, or null to fsync each object
   * @param verified where objects this fetcher hashed are recorded
   * @param onCacheChanged called after a fetch that added objects
   */
  public Fetcher(
      Config config,
      DiskObjectStore cache,
      StoreFlush flush,
      VerifiedObjects verified,
      ObjectSource source,
      IntToDoubleFunction bytesPerSecond,
      ExecutorService executor,
      Runnable onCacheChanged) {
    this.config = config;
    this.cache = cache;
    this.flush = flush;
    this.verified = verified;
    this.source = source;
    this.bytesPerSecond = bytesPerSecond;
    this.executor = executor;
    this.onCacheChanged = onCacheChanged;
  }

  public boolean inProgress() {
    return running.get();
  }

  /** When the last fetch ended (milliseconds since the epoch), or 0 if none has. */
  public long lastEndMillis() {
    return lastEndMillis;
  }

  /** Why the last fetch failed, or null if it succeeded (or none ran). */
  public String lastError() {
    return lastError;
  }

  public long objectsFetched() {
    return objectsFetched.get();
  }

  public long bytesFetched() {
    return bytesFetched.get();
  }

  public long failures() {
    return failures.get();
  }

  /**
   * Starts fetching in the background.
   *
   * @throws IllegalArgumentException on a bad address, hash or speed
   * @throws RpcException FAILED_PRECONDITION if a fetch is running
   */
  public void start(FetchRequest request) {
    HostPort.parse(request.serverAddress(), 1);
    if (request.speedPercent() < 0 || request.speedPercent() > 100) {
      throw new IllegalArgumentException(
          "bad speedPercent " + request.speedPercent() + ": want 0..100");
    }
    Set<Hash> hashes = new LinkedHashSet<>();
    for (String hex : request.hashes()) {
      hashes.add(Hash.parse(hex));
    }
    if (!running.compareAndSet(false, true)) {
      throw RpcException.failedPrecondition(
          "fetch refused: another fetch is in progress;"
              + " wait for it to end (see fetchInProgress in Poll)");
    }
    lastError = null;
    try {
      executor.execute(
          () ->
              run(
                  request.serverAddress(),
                  new ArrayList<>(hashes),
                  bytesPerSecond.applyAsDouble(request.speedPercent())));
    } catch (RuntimeException e) {
      running.set(false);
      throw e;
    }
  }

  private void run(String server, List<Hash> hashes, double rate) {
    long start = System.nanoTime();
    long added = 0;
    try {
      List<Hash> missing = new ArrayList<>();
      for (Hash h : hashes) {
        if (!cache.has(h)) {
          missing.add(h);
        }
      }
      Pacer pacer = new Pacer(Pacer.SYSTEM);
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < missing.size(); i += config.batchSize()) {
        List<Hash> batch = missing.subList(i, Math.min(missing.size(), i + config.batchSize()));
        added += fetchBatch(server, batch, pacer, rate, errors);
      }
      if (!errors.isEmpty()) {
        throw new IOException(errors.size() + " objects rejected, first: " + errors.getFirst());
      }
      log.info(
          "fetched {} of {} objects from {} in {} ms",
          missing.size(),
          hashes.size(),
          server,
          (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(server, hashes, "interrupted");
    } catch (IOException | RuntimeException e) {
      fail(
          server,
          hashes,
          DiskFull.is(e)
              ? e.getMessage()
                  + "; the cache's file system ("
                  + cache.layout().dir()
                  + ") is full: free space there (or Cleanup unused objects) and fetch again"
              : e.getMessage());
    } catch (Error e) {
      // Reported, so that a poll never shows a fetch that died as one that succeeded.
      fail(server, hashes, "failed unexpectedly: " + e);
      throw e;
    } finally {
      if (added > 0) {
        onCacheChanged.run();
      }
      // Before running is cleared: a poll that sees the fetch ended sees when.
      lastEndMillis = System.currentTimeMillis();
      running.set(false);
    }
  }

  private void fail(String server, List<Hash> hashes, String why) {
    failures.incrementAndGet();
    lastError = "fetch " + hashes.size() + " objects from " + server + ": " + why;
    log.error("{}", lastError);
  }

  // Returns how many objects were added to the cache; collects hash mismatches in errors and
  // carries on. Objects are committed every commitEvery, in the background while more arrive.
  private long fetchBatch(
      String server, List<Hash> batch, Pacer pacer, double rate, List<String> errors)
      throws IOException, InterruptedException {
    long opening = System.nanoTime();
    long bytes = 0;
    ObjectBatch objects = newBatch();
    try (BackgroundCommit commits = new BackgroundCommit(executor, this::remember);
        DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(source.getObjects(server, batch), 1 << 16))) {
      long receiving = System.nanoTime();
      for (Hash hash : batch) {
        long length;
        try {
          length = ObjectFraming.readLength(in);
        } catch (EOFException e) {
          throw new IOException("stream from " + server + " ended before object " + hash, e);
        }
        PacedInput body = new PacedInput(ObjectFraming.exactly(in, length), pacer, rate);
        try {
          objects.add(body, hash);
        } catch (HashMismatchException e) {
          errors.add("object " + hash + " from " + server + ": " + e.getMessage());
          log.error("rejected object {} from {}: {}", hash, server, e.getMessage());
        }
        body.drain();
        if (objects.pendingCount() >= config.commitEvery()
            || objects.pendingBytes() >= config.commitBytes()) {
          bytes += objects.pendingBytes();
          commits.start(objects);
          objects = newBatch();
        }
      }
      bytes += objects.pendingBytes();
      long received = System.nanoTime();
      commits.start(objects);
      objects = null;
      long linked = commits.await();
      log.debug(
          "fetched {} objects ({} bytes): stream opened in {} ms, received, hashed and written"
              + " in {} ms, last commit waited for {} ms",
          linked,
          bytes,
          (receiving - opening) / 1_000_000,
          (received - receiving) / 1_000_000,
          (System.nanoTime() - received) / 1_000_000);
      objectsFetched.addAndGet(linked);
      bytesFetched.addAndGet(bytes);
      return linked;
    } catch (PacedInput.Interrupted e) {
      throw (InterruptedException) e.getCause();
    } finally {
      if (objects != null) {
        objects.close();
      }
    }
  }

  private ObjectBatch newBatch() {
    return flush == null ? cache.newBatch() : cache.newBatch(flush);
  }

  // Hashed on the way in: an update may use them without hashing them again.
  private void remember(List<Hash> linked) {
    for (Hash h : linked) {
      try {
        verified.verified(h, cache.pathOf(h));
      } catch (IOException e) {
        log.debug("object {} gone right after its fetch: {}", h, e.getMessage());
      }
    }
  }

  /** One framed object, paced; close leaves the underlying stream open. */
  private static final class PacedInput extends FilterInputStream {
    private final LengthBody body;
    private final Pacer pacer;
    private final double rate;

    static final class Interrupted extends IOException {
      Interrupted(InterruptedException cause) {
        super("interrupted", cause);
      }
    }

    PacedInput(LengthBody body, Pacer pacer, double rate) {
      super(body);
      this.body = body;
      this.pacer = pacer;
      this.rate = rate;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        try {
          pacer.use(n, rate);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Interrupted(e);
        }
      }
      return n;
    }

    void drain() throws IOException {
      body.skipRest();
    }

    @Override
    public void close() {}
  }
}
