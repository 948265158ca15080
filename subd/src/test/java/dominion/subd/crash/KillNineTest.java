package dominion.subd.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.FileTree;
import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.proto.rpc.TestFleet;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdStatus;
import dominion.proto.tls.Role;
import dominion.subd.testing.TreeDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a real subd process with SIGKILL at chosen points of a fetch and an update of a few
 * thousand small files, starts it again on the same root and state directory, and drives the update
 * again as a dominator would (a fresh poll, a fresh diff). After the kill every path holds its old
 * or its new version; after the restart no temporary name, journal, staged file or partial object
 * is left and the cache holds only whole objects; after the second update the root is the image.
 *
 * <p>Kill points are found by watching, never by sleeping: the fake object server stalls in the
 * middle of an object; temporary names appear on disk; a service command blocks while a marker file
 * exists; a target's inode changes.
 */
@Timeout(180)
class KillNineTest {
  private static final Logger log = LoggerFactory.getLogger(KillNineTest.class);
  private static final String IMAGE = "crash/1";
  private static final List<Trigger> TRIGGERS = List.of(Trigger.of("app", List.of("/usr/lib/.*")));

  // Kept when a test fails: subd.log and the root tell what happened.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  Trees trees;
  Path root;
  Path state;
  Path control;
  FakeObjectServer objects;
  SubdProcess subd;
  long began = System.nanoTime();

  @BeforeEach
  void setUp() throws Exception {
    trees = new Trees(15, 80, 300, 600, 42);
    step("trees made");
    root = tmp.resolve("root");
    trees.materializeOld(root);
    step("old tree written");
    state = root.resolve(".subd");
    control = Files.createDirectories(tmp.resolve("control"));
    Path script = control.resolve("service");
    // Records "ACTION SERVICE"; while control/block-ACTION exists, blocks (at most a minute).
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + ("echo \"$1 $2\" >> " + control.resolve("services.log") + "\n")
            + ("if [ -e " + control + "/block-$1 ]; then\n")
            + ("  touch " + control + "/blocked-$1\n")
            + "  i=0\n"
            + ("  while [ -e " + control + "/block-$1 ] && [ $i -lt 1200 ]; do\n")
            + "    sleep 0.05; i=$((i+1))\n"
            + "  done\n"
            + "fi\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    // As in production: TLS, and each party with its role's certificate.
    TestFleet fleet = new TestFleet(Files.createDirectories(tmp.resolve("tls")), "crash-test-ca");
    objects =
        new FakeObjectServer(
            trees.objects,
            fleet.daemon("imageserver", fleet.issue(Role.IMAGESERVER)).serverSecurity());
    subd =
        new SubdProcess(
            root,
            state,
            tmp.resolve("subd.log"),
            script + " {action} {service}",
            fleet.flags(fleet.issue(Role.SUBD)),
            fleet.cli(fleet.issue(Role.DOMINATOR)));
  }

  @AfterEach
  void tearDown() throws IOException {
    unblock("stop");
    unblock("start");
    subd.close();
    objects.close();
  }

  @Test
  void killedWhileFetchingKeepsOnlyWholeObjects() throws Exception {
    TreeDiff diff = startAndDiff();
    List<Hash> wanted = List.copyOf(diff.fetch);
    assertTrue(wanted.size() > 1200, diff.toString());
    // Half an object sent, then nothing: subd holds a partial object, and (committing every 1000
    // objects as it does) soon the first 1000 in its cache.
    objects.stallAt(wanted.get(1200));
    subd.client().fetch(new FetchRequest(objects.address(), diff.fetchHex(), 100));
    assertTrue(objects.awaitStall(), "the fetch never reached object 1200");
    subd.awaitStatus(s -> s.cacheObjects() >= 1000);
    subd.kill();

    Set<Hash> stored = new HashSet<>();
    assertEquals(
        List.of(),
        RootCheck.stateProblems(state, stored, true),
        "after the kill, before the restart");
    assertTrue(stored.size() < wanted.size(), stored.size() + " stored");
    log.info("killed with {} of {} objects stored", stored.size(), wanted.size());
    assertEquals(
        List.of(), RootCheck.differences(scan(), trees.old, false), "a fetch changed the root");

    converge(restartAndCheck(false));
  }

  @Test
  void killedWhilePreparingFilesConverges() throws Exception {
    TreeDiff diff = fetchAll();
    Path late = root.resolve("usr/lib/d08");
    // Should preparing outrun the watching, the kill lands in the window (stop blocks) instead.
    block("stop");
    subd.client().update(diff.request(IMAGE, TRIGGERS));
    subd.await("temporary names in " + late, () -> temps(late) > 0, () -> "");
    subd.kill();
    unblock("stop");
    boolean prepared = Files.exists(control.resolve("blocked-stop"));
    log.info(
        "killed with {} temporary names in {}, {}",
        temps(late),
        late,
        prepared ? "all prepared (stop running)" : "while preparing");
    checkWholeAfterKill();
    converge(restartAndCheck(prepared));
  }

  @Test
  void killedInTheWindowAndAgainWhileRecoveringConverges() throws Exception {
    TreeDiff diff = fetchAll();
    block("stop");
    subd.client().update(diff.request(IMAGE, TRIGGERS));
    subd.await("the stop command", () -> Files.exists(control.resolve("blocked-stop")), () -> "");
    subd.kill();
    unblock("stop");
    assertEquals(
        List.of(), RootCheck.differences(scan(), trees.old, true), "changed before the window");
    checkWholeAfterKill();

    // The restart starts what the update stopped; kill it there too.
    block("start");
    subd.launch();
    subd.await("recovery's start", () -> Files.exists(control.resolve("blocked-start")), () -> "");
    subd.kill();
    unblock("start");
    checkWholeAfterKill();

    converge(restartAndCheck(true));
  }

  @Test
  void killedWhileRenamingConverges() throws Exception {
    TreeDiff diff = fetchAll();
    Path target = root.resolve("usr/lib/d08/f040");
    long oldIno = Posix.lstat(target).ino();
    block("start");
    subd.client().update(diff.request(IMAGE, TRIGGERS));
    subd.await("the rename of " + target, () -> ino(target) != oldIno, () -> "");
    subd.kill();
    unblock("start");
    log.info(
        "killed with {} of the last directory renamed",
        Files.exists(control.resolve("blocked-start")) ? "all" : "part");
    checkWholeAfterKill();
    converge(restartAndCheck(true));
  }

  @Test
  void killedWhileStartingServicesConverges() throws Exception {
    TreeDiff diff = fetchAll();
    block("start");
    subd.client().update(diff.request(IMAGE, TRIGGERS));
    subd.await("the start command", () -> Files.exists(control.resolve("blocked-start")), () -> "");
    subd.kill();
    unblock("start");
    FileTree killed = checkWholeAfterKill();
    assertEquals(
        List.of(), RootCheck.differences(killed, trees.image, true), "all renamed by then");
    converge(restartAndCheck(true));
  }

  // --- steps

  private TreeDiff startAndDiff() throws Exception {
    subd.start();
    step("subd started");
    PollResult first = subd.awaitFreshTree(0);
    assertEquals(
        List.of(), RootCheck.differences(first.tree(), trees.old, false), "subd's first scan");
    return new TreeDiff(first.tree(), first.cachedObjects(), trees.image);
  }

  private TreeDiff fetchAll() throws Exception {
    TreeDiff diff = startAndDiff();
    fetch(diff);
    return diff;
  }

  private void fetch(TreeDiff diff) throws InterruptedException {
    if (diff.fetch.isEmpty()) {
      return;
    }
    subd.client().fetch(new FetchRequest(objects.address(), diff.fetchHex(), 100));
    SubdStatus s = subd.awaitStatus(st -> !st.fetchInProgress());
    assertNull(s.lastFetchError(), s.lastFetchError());
    step("fetched " + diff.fetch.size() + " objects");
  }

  /** Right after a kill: every path old or new (temporary names may be left). */
  private FileTree checkWholeAfterKill() throws IOException {
    step("killed");
    FileTree have = scan();
    assertEquals(List.of(), RootCheck.wholeness(have, trees.old, trees.image, true));
    return have;
  }

  /**
   * Restarts subd and checks what its recovery left: every path old or new, no temporary name,
   * journal, staged file or partial object, and a cache of whole objects that polls report as on
   * disk. If the update had stopped services, they were started again.
   */
  private PollResult restartAndCheck(boolean servicesStopped) throws Exception {
    long restart = System.currentTimeMillis();
    subd.start();
    step("restarted");
    assertEquals(List.of(), RootCheck.wholeness(scan(), trees.old, trees.image, false));
    Set<Hash> stored = new HashSet<>();
    assertEquals(List.of(), RootCheck.stateProblems(state, stored, false));
    PollResult poll = subd.awaitFreshTree(restart);
    step("checked the recovery");
    assertEquals(stored, poll.cachedObjects(), "the cache as polls report it");
    assertEquals(stored.size(), poll.response().status().cacheObjects());
    if (servicesStopped) {
      List<String> services =
          Files.readAllLines(control.resolve("services.log"), StandardCharsets.UTF_8);
      assertEquals("start app", services.getLast(), "services after the restart: " + services);
    }
    return poll;
  }

  /** Drives the update as a dominator would until the root is the image, and checks it is. */
  private void converge(PollResult poll) throws Exception {
    SubdClient client = subd.client();
    TreeDiff diff = new TreeDiff(poll.tree(), poll.cachedObjects(), trees.image);
    fetch(diff);
    long lastEnd = poll.response().status().lastUpdateEndMillis();
    client.update(diff.request(IMAGE, TRIGGERS));
    SubdStatus done =
        subd.awaitStatus(s -> !s.updateInProgress() && s.lastUpdateEndMillis() != lastEnd);
    assertNull(done.lastUpdateError(), done.lastUpdateError());
    assertEquals(IMAGE, done.lastImage());
    step("updated again");

    assertEquals(List.of(), RootCheck.differences(scan(), trees.image, false), "the root on disk");
    Set<Hash> stored = new HashSet<>();
    assertEquals(List.of(), RootCheck.stateProblems(state, stored, false));
    PollResult after = subd.awaitFreshTree(done.lastUpdateEndMillis());
    assertEquals(
        List.of(), RootCheck.differences(after.tree(), trees.image, false), "subd's own scan");
    assertEquals(stored, after.cachedObjects(), "the cache as polls report it");
    TreeDiff rest = new TreeDiff(after.tree(), after.cachedObjects(), trees.image);
    assertTrue(rest.isEmpty() && rest.fetch.isEmpty(), "left to do: " + rest);
    step("converged");
  }

  // --- helpers

  private void step(String what) {
    log.info("+{} ms: {}", (System.nanoTime() - began) / 1_000_000, what);
  }

  private FileTree scan() throws IOException {
    return RootCheck.scan(root, state);
  }

  private void block(String action) throws IOException {
    Files.deleteIfExists(control.resolve("blocked-" + action));
    Files.writeString(control.resolve("block-" + action), "", StandardCharsets.UTF_8);
  }

  private void unblock(String action) throws IOException {
    Files.deleteIfExists(control.resolve("block-" + action));
  }

  private static long temps(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(RootCheck.TEMP_PREFIX)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long ino(Path p) {
    try {
      return Posix.lstat(p).ino();
    } catch (IOException e) {
      return -1;
    }
  }
}
