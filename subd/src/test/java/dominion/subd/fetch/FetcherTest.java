package dominion.subd.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.StoreFlush;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.FetchRequest;
import dominion.subd.state.VerifiedObjects;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FetcherTest {
  @TempDir Path tmp;
  DiskObjectStore cache;
  VerifiedObjects verified = new VerifiedObjects(100);
  ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  AtomicInteger cacheChanges = new AtomicInteger();
  // What the fake server sends for each hash (normally the object's bytes).
  Map<Hash, byte[]> served = new HashMap<>();
  List<Hash> lastAsked;
  CountDownLatch release = new CountDownLatch(0);

  @BeforeEach
  void setUp() throws IOException {
    cache = new DiskObjectStore(tmp.resolve("objects"));
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  private Hash serve(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Hash h = Hash.of(bytes);
    served.put(h, bytes);
    return h;
  }

  private InputStream stream(String server, List<Hash> hashes) {
    lastAsked = List.copyOf(hashes);
    try {
      release.await();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buf);
      for (Hash h : hashes) {
        byte[] b = served.get(h);
        out.writeLong(b.length);
        out.write(b);
      }
      return new ByteArrayInputStream(buf.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private Fetcher fetcher(double bytesPerSecond) {
    return fetcher(new Fetcher.Config(2, 2, Long.MAX_VALUE), null, this::stream, bytesPerSecond);
  }

  private Fetcher fetcher(
      Fetcher.Config config, StoreFlush flush, ObjectSource source, double bytesPerSecond) {
    return new Fetcher(
        config,
        cache,
        flush,
        verified,
        source,
        p -> bytesPerSecond,
        executor,
        cacheChanges::incrementAndGet);
  }

  private static void awaitIdle(Fetcher f) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (f.inProgress() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(f.inProgress());
  }

  private static FetchRequest request(Hash... hashes) {
    return new FetchRequest(
        "127.0.0.1:6971", java.util.Arrays.stream(hashes).map(Hash::hex).toList(), 0);
  }

  @Test
  void fetchedObjectsLandInTheCache() throws Exception {
    Hash a = serve("alpha");
    Hash b = serve("beta");
    Hash c = serve("gamma");
    Fetcher f = fetcher(Double.POSITIVE_INFINITY);
    f.start(request(a, b, c));
    awaitIdle(f);
    assertNull(f.lastError());
    assertTrue(cache.has(a) && cache.has(b) && cache.has(c));
    assertEquals(3, f.objectsFetched());
    assertEquals(1, cacheChanges.get());
  }

  @Test
  void aFetchThatDiesOfAnErrorIsReportedAsFailed() throws Exception {
    Hash a = serve("alpha");
    Fetcher f =
        fetcher(
            new Fetcher.Config(2, 2, Long.MAX_VALUE),
            null,
            (server, hashes) -> {
              throw new StackOverflowError("deep");
            },
            Double.POSITIVE_INFINITY);
    f.start(request(a));
    awaitIdle(f);
    assertTrue(
        f.lastError() != null && f.lastError().contains("StackOverflowError"), f.lastError());
    assertFalse(cache.has(a));
  }

  @Test
  void objectsAlreadyCachedAreNotAskedFor() throws Exception {
    Hash a = serve("alpha");
    Hash b = serve("beta");
    cache.add(new ByteArrayInputStream("alpha".getBytes(StandardCharsets.UTF_8)), a);
    Fetcher f = fetcher(Double.POSITIVE_INFINITY);
    f.start(request(a, b));
    awaitIdle(f);
    assertEquals(List.of(b), lastAsked);
  }

  @Test
  void corruptedObjectIsRejectedAndReported() throws Exception {
    Hash good = serve("good");
    Hash bad = serve("original");
    served.put(bad, "tampered".getBytes(StandardCharsets.UTF_8));
    Hash after = serve("after");
    Fetcher f = fetcher(Double.POSITIVE_INFINITY);
    f.start(request(good, bad, after));
    awaitIdle(f);
    assertFalse(cache.has(bad));
    assertTrue(cache.has(good));
    assertTrue(cache.has(after), "objects after the bad one still arrive");
    assertTrue(f.lastError().contains(bad.hex()), f.lastError());
    assertEquals(1, f.failures());
  }

  @Test
  void secondFetchWhileOneRunsIsRefused() throws Exception {
    release = new CountDownLatch(1);
    Fetcher f = fetcher(Double.POSITIVE_INFINITY);
    f.start(request(serve("slow")));
    RpcException e = assertThrows(RpcException.class, () -> f.start(request(serve("x"))));
    assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
    release.countDown();
    awaitIdle(f);
  }

  @Test
  void badRequestIsRefusedAtOnce() {
    Fetcher f = fetcher(Double.POSITIVE_INFINITY);
    assertThrows(
        IllegalArgumentException.class, () -> f.start(new FetchRequest("host:port", List.of(), 0)));
    assertThrows(
        IllegalArgumentException.class, () -> f.start(new FetchRequest("h:1", List.of("zz"), 0)));
    assertThrows(
        IllegalArgumentException.class, () -> f.start(new FetchRequest("h:1", List.of(), 101)));
    assertFalse(f.inProgress());
  }

  @Test
  void transferIsPacedToTheRate() throws Exception {
    Hash big = serve("x".repeat(300_000));
    Fetcher f = fetcher(1_000_000); // 1 MB/s: 300 KB takes about 0.3 s
    long start = System.nanoTime();
    f.start(request(big));
    awaitIdle(f);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(cache.has(big));
    assertTrue(millis >= 250, "took only " + millis + " ms");
  }

  @Test
  void fetchedObjectsAreRememberedAsVerified() throws Exception {
    Hash a = serve("alpha");
    Fetcher f = fetcher(Double.POSITIVE_INFINITY);
    f.start(request(a));
    awaitIdle(f);
    assertTrue(verified.unchanged(a, Posix.lstat(cache.pathOf(a))));
  }

  @Test
  void aFlushedCommitFlushesTwiceInsteadOfAnFsyncPerObject() throws Exception {
    AtomicInteger flushes = new AtomicInteger();
    Hash a = serve("alpha");
    Hash b = serve("beta");
    Hash c = serve("gamma");
    Fetcher f =
        fetcher(
            new Fetcher.Config(10, 10, Long.MAX_VALUE),
            flushes::incrementAndGet,
            this::stream,
            Double.POSITIVE_INFINITY);
    f.start(request(a, b, c));
    awaitIdle(f);
    assertNull(f.lastError());
    assertTrue(cache.has(a) && cache.has(b) && cache.has(c));
    assertEquals(2, flushes.get(), "before the links and after");
    assertEquals(List.of(a, b, c), lastAsked, "one GetObjects call");
  }

  @Test
  void objectsAreCommittedWhileTheStreamGoesOn() throws Exception {
    assertFirstTwoCommittedMidStream(new Fetcher.Config(10, 2, Long.MAX_VALUE));
  }

  @Test
  void enoughBytesStartACommitBeforeEnoughObjects() throws Exception {
    // "alpha" and "beta": 9 bytes, a commit after the second object, not after the first.
    assertFirstTwoCommittedMidStream(new Fetcher.Config(10, 100, 9));
  }

  private void assertFirstTwoCommittedMidStream(Fetcher.Config config) throws Exception {
    Hash a = serve("alpha");
    Hash b = serve("beta");
    Hash c = serve("gamma");
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    // The stream stops after two objects until the test has seen them committed.
    ObjectSource source =
        (server, hashes) -> {
          byte[] all = bytesOf(stream(server, hashes));
          int firstTwo = 8 + 5 + 8 + 4;
          InputStream stall =
              new InputStream() {
                @Override
                public int read() throws IOException {
                  stalled.countDown();
                  try {
                    resume.await();
                  } catch (InterruptedException e) {
                    throw new IOException(e);
                  }
                  return -1;
                }
              };
          return new SequenceInputStream(
              java.util.Collections.enumeration(
                  List.of(
                      new ByteArrayInputStream(all, 0, firstTwo),
                      stall,
                      new ByteArrayInputStream(all, firstTwo, all.length - firstTwo))));
        };
    Fetcher f = fetcher(config, null, source, Double.POSITIVE_INFINITY);
    f.start(request(a, b, c));
    assertTrue(stalled.await(20, java.util.concurrent.TimeUnit.SECONDS));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(cache.has(a) && cache.has(b)) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(cache.has(a) && cache.has(b), "the first two are committed mid-stream");
    assertFalse(cache.has(c));
    resume.countDown();
    awaitIdle(f);
    assertNull(f.lastError());
    assertTrue(cache.has(c));
    assertEquals(3, f.objectsFetched());
  }

  private static byte[] bytesOf(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
