package dominion.subd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.core.objectstore.MemoryObjectStore;
import dominion.proto.imageserver.GetObjectsRequest;
import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.RpcException;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.InodeSpec;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdStatus;
import dominion.proto.subd.UpdateRequest;
import dominion.subd.rehearsal.Rehearsal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * subd over its socket: poll, fetch from a fake ObjectServer, update, poll again; and what the
 * other RPCs do.
 */
@Timeout(60)
class SubdServerTest {
  @TempDir Path tmp;
  Path root;
  Subd subd;
  RpcServer objectServer;
  MemoryObjectStore served = new MemoryObjectStore();
  Set<Hash> corrupt = new HashSet<>();
  ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  HttpClient http;
  SubdClient client;

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n", StandardCharsets.UTF_8);
    objectServer =
        new RpcServer(
            new RpcServer.Config("127.0.0.1", 0, "fake-imageserver"),
            ServerSecurity.insecure(),
            workers);
    objectServer.download(
        ImageServerMethods.GET_OBJECTS,
        GetObjectsRequest.class,
        ImageServerMethods.OBJECTS_CONTENT_TYPE,
        this::getObjects);
    objectServer.start();
    Path script = tmp.resolve("svc");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"$@\" >> " + tmp.resolve("svc.log") + "\n",
        StandardCharsets.UTF_8);
    script.toFile().setExecutable(true);
    subd = startSubd(Rehearsal.Config.OFF);
    http = RpcClients.newHttpClient(null, Duration.ofSeconds(5), workers);
    client =
        new SubdClient(
            new RpcClient(http, false, "127.0.0.1", subd.port(), Duration.ofSeconds(20)));
  }

  private Subd startSubd(Rehearsal.Config rehearsal) throws Exception {
    return startSubd(rehearsal, Duration.ofSeconds(60));
  }

  /**
   * @param periodicScans time between the scans nothing asked for (change notification works here)
   */
  private Subd startSubd(Rehearsal.Config rehearsal, Duration periodicScans) throws Exception {
    Path script = tmp.resolve("svc");
    return new Subd(
            new Subd.Config(
                root,
                root.resolve(".subd"),
                "127.0.0.1",
                0,
                new SubdConfig(100, 100, 100, Settings.DEFAULT_EXCLUSIONS),
                script.toString(),
                script + " reboot",
                Duration.ofMillis(200),
                periodicScans,
                Duration.ofMinutes(10),
                1e9,
                125_000_000L,
                false,
                rehearsal),
            ServerSecurity.insecure(),
            null)
        .start();
  }

  @AfterEach
  void stop() {
    subd.close();
    objectServer.close();
    workers.shutdownNow();
  }

  private void getObjects(
      GetObjectsRequest request, dominion.proto.rpc.CallContext call, OutputStream out)
      throws IOException {
    for (String hex : request.hashes()) {
      Hash h = Hash.parse(hex);
      byte[] bytes;
      try (InputStream in = served.get(h)) {
        bytes = in.readAllBytes();
      }
      if (corrupt.contains(h)) {
        bytes[0] ^= 1;
      }
      ObjectFraming.writeLength(out, bytes.length);
      out.write(bytes);
    }
  }

  private SubdStatus awaitStatus(Predicate<SubdStatus> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      SubdStatus s = client.poll(0, true).response().status();
      if (done.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; last status " + s);
      }
      Thread.sleep(20);
    }
  }

  private PollResult awaitTree(long after) throws InterruptedException {
    awaitStatus(s -> s.generation() != 0 && s.generation() != after && !s.updateInProgress());
    PollResult r = client.poll(after, false);
    assertTrue(r.response().hasTree());
    return r;
  }

  // What the dominator does after an update: poll until a fresh scan shows the change.
  private PollResult awaitPath(String path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      PollResult r = client.poll(0, false);
      if (r.tree() != null && r.tree().get(path) != null) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + path);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void changeNotificationFindsDriftQuickly() throws Exception {
    awaitTree(0);
    Files.writeString(root.resolve("etc/drift"), "x", StandardCharsets.UTF_8);
    assertNotNull(awaitPath("/etc/drift").tree().get("/etc/drift"));
  }

  @Test
  void pollFetchUpdatePoll() throws Exception {
    PollResult first = awaitTree(0);
    assertNotNull(first.tree().get("/etc/hosts"));
    assertNull(first.tree().get("/.subd"));
    assertEquals(Set.of(), first.cachedObjects());
    assertEquals(List.of(), first.response().lastTriggers());
    long generation = first.response().generation();

    PollResult same = client.poll(generation, false);
    assertFalse(same.response().hasTree());
    assertNull(same.tree());
    assertNull(same.response().lastTriggers());

    byte[] content = "server config\n".getBytes(StandardCharsets.UTF_8);
    Hash hash = served.put(content);
    assertEquals(0, client.poll(0, true).response().status().lastFetchEndMillis());
    long asked = System.currentTimeMillis();
    client.fetch(new FetchRequest("127.0.0.1:" + objectServer.port(), List.of(hash.hex()), 100));
    SubdStatus fetched = awaitStatus(s -> !s.fetchInProgress() && s.cacheObjects() == 1);
    assertNull(fetched.lastFetchError());
    // A poll that sees the fetch ended says when (a driver times fetches by it).
    assertTrue(fetched.lastFetchEndMillis() >= asked, () -> fetched + " asked " + asked);
    assertTrue(fetched.lastFetchEndMillis() <= System.currentTimeMillis());

    RegularInode inode =
        RegularInode.of(0640, 0, 0, 1_700_000_000_000_000_000L, content.length, hash);
    client.update(
        new UpdateRequest(
            "app/1",
            false,
            null,
            List.of(new InodeToMake("/etc/app.conf", InodeSpec.of(inode))),
            null,
            null,
            null,
            null,
            List.of(Trigger.of("app", List.of("/etc/app\\.conf")))));
    SubdStatus updated = awaitStatus(s -> "app/1".equals(s.lastImage()) && !s.updateInProgress());
    assertNull(updated.lastUpdateError());
    assertEquals(
        List.of("stop", "start"),
        updated.lastTriggerResults().stream().map(t -> t.action()).toList());
    assertEquals(
        "server config\n", Files.readString(root.resolve("etc/app.conf"), StandardCharsets.UTF_8));

    PollResult after = awaitPath("/etc/app.conf");
    assertNotEquals(generation, after.response().generation());
    assertEquals(inode, after.tree().get("/etc/app.conf").inode());
    // The object became /etc/app.conf itself: the cache keeps no name for it.
    assertEquals(Set.of(), after.cachedObjects());
    // The tree comes with the applied image's triggers, which the next update stops by.
    assertEquals(
        List.of(Trigger.of("app", List.of("/etc/app\\.conf"))), after.response().lastTriggers());
  }

  @Test
  void corruptedObjectFromTheServerIsRejected() throws Exception {
    Hash hash = served.put("precious".getBytes(StandardCharsets.UTF_8));
    corrupt.add(hash);
    client.fetch(new FetchRequest("127.0.0.1:" + objectServer.port(), List.of(hash.hex()), 0));
    SubdStatus s = awaitStatus(st -> !st.fetchInProgress() && st.lastFetchError() != null);
    assertTrue(s.lastFetchError().contains(hash.hex()), s.lastFetchError());
    assertEquals(0, s.cacheObjects());
  }

  @Test
  void fetchFromAnUnreachableServerIsReported() throws Exception {
    long asked = System.currentTimeMillis();
    client.fetch(new FetchRequest("127.0.0.1:1", List.of(Hash.of(new byte[1]).hex()), 0));
    SubdStatus s = awaitStatus(st -> !st.fetchInProgress() && st.lastFetchError() != null);
    assertTrue(s.lastFetchError().contains("127.0.0.1:1"), s.lastFetchError());
    assertTrue(s.lastFetchEndMillis() >= asked, () -> s + " asked " + asked);
  }

  @Test
  void badUpdateIsRefusedOnTheCall() {
    RpcException e =
        assertThrows(
            RpcException.class,
            () ->
                client.update(
                    new UpdateRequest(
                        "app/1", true, null, null, null, null, List.of("/etc/hosts"), null, null)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    RpcException escape =
        assertThrows(
            RpcException.class,
            () ->
                client.update(
                    new UpdateRequest(
                        "app/1",
                        false,
                        null,
                        null,
                        null,
                        null,
                        List.of("/etc/../../x"),
                        null,
                        null)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, escape.code());
    assertTrue(Files.exists(root.resolve("etc/hosts")));
  }

  @Test
  void getFilesStreamsContents() {
    List<String> got = new ArrayList<>();
    client.getFiles(
        List.of("/etc/hosts", "/etc/hosts"),
        (path, length, in) -> {
          got.add(path + "=" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        });
    assertEquals(
        List.of("/etc/hosts=127.0.0.1 localhost\n", "/etc/hosts=127.0.0.1 localhost\n"), got);
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client.getFiles(List.of("/etc/hosts", "/nope"), (p, l, in) -> {}));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
  }

  @Test
  void configurationCanBeReadAndChanged() {
    SubdConfig before = client.getConfiguration();
    assertEquals(100, before.cpuPercent());
    assertTrue(before.scanExclusions().contains("/var/log/.*"));
    client.setConfiguration(new SubdConfig(0, 5, 0, null));
    SubdConfig after = client.getConfiguration();
    assertEquals(5, after.cpuPercent());
    assertEquals(100, after.scanSpeedPercent());
    assertEquals(before.scanExclusions(), after.scanExclusions());
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client.setConfiguration(new SubdConfig(0, 0, 0, List.of("(bad"))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @Test
  void cleanupDeletesCachedObjectsAndMovesTheGeneration() throws Exception {
    Hash hash = served.put("temporary".getBytes(StandardCharsets.UTF_8));
    long generation = awaitTree(0).response().generation();
    client.fetch(new FetchRequest("127.0.0.1:" + objectServer.port(), List.of(hash.hex()), 0));
    awaitStatus(s -> !s.fetchInProgress() && s.cacheObjects() == 1);
    PollResult withObject = client.poll(generation, false);
    assertTrue(
        withObject.response().hasTree(), "a fetch that filled the cache moves the generation");
    assertEquals(Set.of(hash), withObject.cachedObjects());
    client.cleanup(new CleanupRequest(List.of(hash.hex())));
    PollResult cleaned = client.poll(withObject.response().generation(), false);
    assertTrue(cleaned.response().hasTree());
    assertEquals(Set.of(), cleaned.cachedObjects());
  }

  @Test
  void statusPageMetricsAndHealth() throws Exception {
    awaitTree(0);
    String page = get("/");
    assertTrue(page.contains("INSECURE"), page);
    assertTrue(page.contains("generation"), page);
    String metrics = get("/metrics");
    assertTrue(metrics.contains("dominion_subd_generation "), metrics);
    assertTrue(metrics.contains("dominion_subd_rpc_calls_total{method=\"Subd.Poll\"}"), metrics);
    assertEquals("ok\n", get("/healthz"));
  }

  @Test
  void aStartRemovesTheScratchTreeOfARehearsalACrashCutShort() throws Exception {
    subd.close();
    Path leftover = Files.createDirectories(root.resolve(".subd/rehearsal/root/d0"));
    Files.writeString(leftover.resolve("f0"), "x", StandardCharsets.UTF_8);

    subd = startSubd(Rehearsal.Config.OFF);

    assertFalse(Files.exists(root.resolve(".subd/rehearsal")));
  }

  @Test
  void aRehearsalAfterTheFirstScanLeavesTheTreeAlone() throws Exception {
    awaitTree(0);
    subd.close();
    // Scans back to back, so that some run while the rehearsal writes its scratch tree.
    subd = startSubd(new Rehearsal.Config(3, 50), Duration.ofMillis(200));
    client =
        new SubdClient(
            new RpcClient(http, false, "127.0.0.1", subd.port(), Duration.ofSeconds(20)));
    // Nothing changes the root from here on: a scan that saw the scratch tree, or a rehearsal's
    // fetch counted as a change of the real cache, would move the generation.
    SubdStatus first = awaitStatus(s -> s.generation() != 0);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String metrics = get("/metrics");
    while (!metrics.contains("dominion_subd_rehearsal_pending 0\n")) {
      assertTrue(System.nanoTime() < deadline, "rehearsal still pending: " + metrics);
      // Not more often: the rehearsal waits until this JVM's compiler has been nearly idle for 500
      // ms, and each /metrics answer is work for it.
      Thread.sleep(250);
      metrics = get("/metrics");
    }

    assertTrue(metrics.contains("dominion_subd_rehearsal_rounds 3\n"), metrics);
    assertTrue(get("/").contains("done in "), get("/"));
    assertFalse(Files.exists(root.resolve(".subd/rehearsal")));
    PollResult after = client.poll(0, false);
    assertTrue(
        after.response().status().scanCount() > first.scanCount(),
        "scans ran meanwhile: " + after.response().status());
    assertEquals(first.generation(), after.response().generation(), "no scan saw the scratch tree");
    assertEquals(Set.of(), after.cachedObjects(), "the real cache is untouched");
    assertEquals(
        Set.of("/", "/etc", "/etc/hosts"),
        after.tree().entries().stream()
            .map(dominion.core.fs.Entry::path)
            .collect(java.util.stream.Collectors.toSet()),
        "the scratch tree never shows in the managed one");
    assertNull(after.response().status().lastImage());
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + subd.port() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}
