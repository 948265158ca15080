package dominion.subd.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdStatus;
import dominion.subd.Settings;
import dominion.subd.Subd;
import dominion.subd.rehearsal.Rehearsal;
import dominion.subd.testing.TreeDiff;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the root and subd's state directory on a small tmpfs (as in production, one
 * file system), filled by a file beside the root until a fetch, then an update, runs out of space.
 * The error is reported in polls, no object or file is left half-written, no temporary name is
 * left, nothing outside the root changes, and once space is freed the next fetch and update
 * converge. Needs root (mount); skipped otherwise.
 */
@Timeout(120)
class FullDiskTest {
  private static final String IMAGE = "full/1";
  private static final List<Trigger> TRIGGERS = List.of(Trigger.of("app", List.of("/usr/lib/.*")));
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FullDiskTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  Path disk;
  Path root;
  Path state;
  Path filler;
  Path serviceLog;
  Trees trees;
  FakeObjectServer objects;
  Subd subd;
  SubdClient client;
  final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeEach
  void setUp() throws Exception {
    disk = Files.createDirectories(tmp.resolve("disk"));
    int status = run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", disk.toString());
    assumeTrue(
        status == 0,
        "cannot mount a tmpfs here (mount exited "
            + status
            + "; it needs root): no real full disk");
    root = disk.resolve("root");
    state = root.resolve(".subd");
    filler = disk.resolve("filler");
    // Files of up to 2 KiB (each a page on tmpfs), one 16 KiB content copied to 40 paths.
    trees = new Trees(4, 50, 50, 2048, 7);
    trees.materializeOld(root);
    serviceLog = tmp.resolve("services.log");
    Path script = tmp.resolve("service");
    Files.writeString(
        script, "#!/bin/sh\necho \"$1 $2\" >> " + serviceLog + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    objects = new FakeObjectServer(trees.objects, ServerSecurity.insecure());
    subd =
        new Subd(
                new Subd.Config(
                    root,
                    state,
                    "127.0.0.1",
                    0,
                    new SubdConfig(100, 100, 100, Settings.DEFAULT_EXCLUSIONS),
                    script + " {action} {service}",
                    "true",
                    Duration.ofMillis(100),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(10),
                    1e9,
                    125_000_000L,
                    true,
                    Rehearsal.Config.OFF),
                ServerSecurity.insecure(),
                null)
            .start();
    client =
        new SubdClient(
            new RpcClient(
                RpcClients.newHttpClient(null, Duration.ofSeconds(5), workers),
                false,
                "127.0.0.1",
                subd.port(),
                Duration.ofSeconds(20)));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (subd != null) {
      subd.close();
    }
    if (objects != null) {
      objects.close();
    }
    workers.shutdownNow();
    if (root != null && run("umount", disk.toString()) != 0) {
      run("umount", "-l", disk.toString());
    }
  }

  @Test
  void fetchThatFillsTheDiskIsReportedAndTheNextOneConverges() throws Exception {
    PollResult first = awaitTree(0);
    TreeDiff diff = new TreeDiff(first.tree(), first.cachedObjects(), trees.image);
    long needed = diff.fetch.size() * 4096L;
    fillLeaving(needed / 2);
    long fillerSize = Files.size(filler);

    client.fetch(new FetchRequest(objects.address(), diff.fetchHex(), 100));
    SubdStatus failed = awaitStatus(s -> !s.fetchInProgress());
    assertFullDisk(failed.lastFetchError());
    Set<Hash> stored = new HashSet<>();
    assertEquals(
        List.of(), RootCheck.stateProblems(state, stored, false), "the cache after ENOSPC");
    assertTrue(stored.size() < diff.fetch.size(), stored.size() + " objects stored");
    assertEquals(stored.size(), failed.cacheObjects(), "objects polls count");
    assertEquals(List.of(), RootCheck.differences(scan(), trees.old, false), "the root");
    assertOutsideUnchanged(fillerSize);

    Files.delete(filler);
    converge(awaitTree(0));
  }

  @Test
  void updateThatFillsTheDiskWhilePreparingIsReportedAndTheNextOneConverges() throws Exception {
    PollResult first = awaitTree(0);
    TreeDiff diff = new TreeDiff(first.tree(), first.cachedObjects(), trees.image);
    client.fetch(new FetchRequest(objects.address(), diff.fetchHex(), 100));
    assertNull(awaitStatus(s -> !s.fetchInProgress()).lastFetchError());
    // Room for the journal and some copies of the 16 KiB content, not for all forty.
    fillLeaving(256 << 10);
    long fillerSize = Files.size(filler);

    client.update(diff.request(IMAGE, TRIGGERS));
    SubdStatus failed = awaitStatus(s -> !s.updateInProgress() && s.lastUpdateEndMillis() != 0);
    assertFullDisk(failed.lastUpdateError());
    assertTrue(
        failed.lastUpdateError().contains("prepare /usr/share/dup/f"),
        "not while preparing the copies: " + failed.lastUpdateError());
    assertNull(failed.lastImage());
    FileTree after = scan();
    assertEquals(List.of(), RootCheck.wholeness(after, trees.old, trees.image, false));
    assertEquals(
        List.of(), RootCheck.differences(after, trees.old, false), "failed before renames");
    assertEquals(List.of(), RootCheck.stateProblems(state, new HashSet<>(), false));
    assertFalse(Files.exists(serviceLog), "no service was stopped");
    assertOutsideUnchanged(fillerSize);

    Files.delete(filler);
    converge(awaitTree(0));
  }

  @Test
  void updateOnADiskWithNoRoomAtAllChangesNothingAndTheNextOneConverges() throws Exception {
    PollResult first = awaitTree(0);
    TreeDiff diff = new TreeDiff(first.tree(), first.cachedObjects(), trees.image);
    client.fetch(new FetchRequest(objects.address(), diff.fetchHex(), 100));
    assertNull(awaitStatus(s -> !s.fetchInProgress()).lastFetchError());
    fillLeaving(0);
    long fillerSize = Files.size(filler);

    client.update(diff.request(IMAGE, TRIGGERS));
    SubdStatus failed = awaitStatus(s -> !s.updateInProgress() && s.lastUpdateEndMillis() != 0);
    assertFullDisk(failed.lastUpdateError());
    assertEquals(List.of(), RootCheck.differences(scan(), trees.old, false), "the root");
    assertEquals(List.of(), RootCheck.stateProblems(state, new HashSet<>(), false));
    assertOutsideUnchanged(fillerSize);

    Files.delete(filler);
    converge(awaitTree(0));
  }

  // --- steps

  private void converge(PollResult poll) throws Exception {
    TreeDiff diff = new TreeDiff(poll.tree(), poll.cachedObjects(), trees.image);
    if (!diff.fetch.isEmpty()) {
      client.fetch(new FetchRequest(objects.address(), diff.fetchHex(), 100));
      SubdStatus s = awaitStatus(st -> !st.fetchInProgress());
      assertNull(s.lastFetchError(), s.lastFetchError());
    }
    long lastEnd = poll.response().status().lastUpdateEndMillis();
    client.update(diff.request(IMAGE, TRIGGERS));
    SubdStatus done = awaitStatus(s -> !s.updateInProgress() && s.lastUpdateEndMillis() != lastEnd);
    assertNull(done.lastUpdateError(), done.lastUpdateError());
    assertEquals(IMAGE, done.lastImage());
    assertEquals(List.of(), RootCheck.differences(scan(), trees.image, false), "the root");
    assertEquals(List.of(), RootCheck.stateProblems(state, new HashSet<>(), false));
  }

  private static void assertFullDisk(String error) {
    assertNotNull(error, "no error reported");
    log.info("reported: {}", error);
    assertTrue(
        error.toLowerCase(Locale.ROOT).contains("no space left on device")
            && error.contains(" is full: free space"),
        "the error does not name the full disk and what to do: " + error);
  }

  /** Fills the disk with a file beside the root until {@code free} bytes are left. */
  private void fillLeaving(long free) throws IOException {
    long usable = Files.getFileStore(disk).getUsableSpace();
    assertTrue(usable > free, usable + " bytes free, want to leave " + free);
    byte[] block = new byte[4096];
    java.util.Arrays.fill(block, (byte) 'x');
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (long left = usable - free; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  private void assertOutsideUnchanged(long fillerSize) throws IOException {
    try (Stream<Path> s = Files.list(disk)) {
      assertEquals(
          Set.of("root", "filler"),
          Set.copyOf(s.map(p -> p.getFileName().toString()).toList()),
          "beside the root");
    }
    assertEquals(fillerSize, Files.size(filler));
  }

  private FileTree scan() throws IOException {
    return RootCheck.scan(root, state);
  }

  private PollResult awaitTree(long notGeneration) throws InterruptedException {
    awaitStatus(s -> s.generation() != 0 && s.generation() != notGeneration);
    return client.poll(0, false);
  }

  private SubdStatus awaitStatus(Predicate<SubdStatus> done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      SubdStatus s = client.poll(0, true).response().status();
      if (done.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; last status " + s);
      }
      Thread.sleep(10);
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
