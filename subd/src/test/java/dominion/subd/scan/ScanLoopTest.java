package dominion.subd.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import dominion.proto.subd.SubdConfig;
import dominion.subd.Settings;
import dominion.subd.limit.ScanLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of change moves the generation; nothing else does. */
@Timeout(60)
class ScanLoopTest {
  @TempDir Path tmp;
  Path root;
  TreeState state;
  HashCache cache;
  ScanLoop loop;
  Rehasher rehasher;
  AtomicLong epoch = new AtomicLong();
  AtomicInteger mismatchCalls = new AtomicInteger();

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    Path stateDir = Files.createDirectories(root.resolve(".subd"));
    Settings settings =
        new Settings(new SubdConfig(100, 100, 100, List.of("/tmp/.*", "/var/log/.*")), "/.subd");
    ScanLimits limits = new ScanLimits(() -> 100, () -> 100, 1e9);
    cache = new HashCache(new LimitedHasher(limits, false));
    state = new TreeState(1000);
    loop =
        new ScanLoop(
            new ScanLoop.Config(root, stateDir, Duration.ofSeconds(1), Duration.ofSeconds(60)),
            settings,
            cache,
            state,
            limits,
            epoch::get,
            null);
    rehasher =
        new Rehasher(
            new Rehasher.Config(root, Duration.ZERO),
            cache,
            state,
            limits,
            mismatchCalls::incrementAndGet);
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("tmp"));
    Files.createDirectories(root.resolve("var/log"));
    write("etc/passwd", "root:x:0:0\n");
    write("etc/hosts", "127.0.0.1 localhost\n");
    Files.createSymbolicLink(root.resolve("etc/link"), Path.of("hosts"));
    assertTrue(loop.scanOnce());
  }

  private void write(String rel, String content) throws IOException {
    Files.writeString(root.resolve(rel), content, StandardCharsets.UTF_8);
  }

  private long generation() {
    return state.snapshot().generation();
  }

  private void assertBumps(String what) throws IOException {
    long before = generation();
    assertTrue(loop.scanOnce());
    assertEquals(before + 1, generation(), what + " should move the generation");
  }

  private void assertSteady(String what) throws IOException {
    long before = generation();
    assertTrue(loop.scanOnce());
    assertEquals(before, generation(), what + " should not move the generation");
  }

  @Test
  void firstScanSetsGenerationFromTheStartValue() {
    assertEquals(1000, generation());
    assertEquals(1, state.snapshot().scanCount());
    assertNotNull(state.snapshot().tree().get("/etc/passwd"));
    assertNull(state.snapshot().tree().get("/.subd"));
  }

  @Test
  void unchangedRootDoesNotBump() throws IOException {
    assertSteady("a rescan");
    assertSteady("another rescan");
    assertEquals(3, state.snapshot().scanCount());
  }

  @Test
  void addedFileBumps() throws IOException {
    write("etc/new", "x");
    assertBumps("an added file");
  }

  @Test
  void removedFileBumps() throws IOException {
    Files.delete(root.resolve("etc/hosts"));
    assertBumps("a removed file");
  }

  @Test
  void changedContentBumps() throws IOException {
    write("etc/passwd", "root:x:0:0:changed\n");
    assertBumps("changed content");
  }

  @Test
  void rewriteWithOldMtimeRestoredBumps() throws IOException {
    Path f = root.resolve("etc/passwd");
    FileTime mtime = Files.getLastModifiedTime(f);
    write("etc/passwd", "ROOT:x:0:0\n"); // same size
    Files.setLastModifiedTime(f, mtime);
    assertBumps("a same-size rewrite with the mtime put back (ctime moved)");
    assertEquals(
        Hash.of("ROOT:x:0:0\n".getBytes(StandardCharsets.UTF_8)),
        ((dominion.core.fs.RegularInode) state.snapshot().tree().get("/etc/passwd").inode())
            .hash());
  }

  @Test
  void modeChangeBumps() throws IOException {
    Posix.chmod(root.resolve("etc/passwd"), 0600);
    assertBumps("a mode change");
  }

  @Test
  void ownerChangeBumps() throws IOException {
    Posix.lchown(root.resolve("etc/hosts"), 42, 43);
    assertBumps("an owner change");
  }

  @Test
  void mtimeChangeBumps() throws IOException {
    Posix.setMtime(root.resolve("etc/hosts"), 1_000_000_000L);
    assertBumps("an mtime change");
  }

  @Test
  void symlinkRetargetBumps() throws IOException {
    Files.delete(root.resolve("etc/link"));
    Files.createSymbolicLink(root.resolve("etc/link"), Path.of("passwd"));
    assertBumps("a symlink retarget");
  }

  @Test
  void newDirectoryBumps() throws IOException {
    Files.createDirectory(root.resolve("srv"));
    assertBumps("a new directory");
  }

  @Test
  void hardLinkBumps() throws IOException {
    Files.createLink(root.resolve("etc/passwd2"), root.resolve("etc/passwd"));
    assertBumps("a new hard link");
  }

  @Test
  void capabilityBumps() throws IOException {
    Posix.setCapability(root.resolve("etc/hosts"), "0100000200200000000000000000000000000000");
    assertBumps("a capability");
  }

  @Test
  void excludedPathsDoNotBump() throws IOException {
    write("tmp/scratch", "x");
    write("var/log/syslog", "log line");
    Files.writeString(root.resolve(".subd/image"), "img/1\n", StandardCharsets.UTF_8);
    assertSteady("changes in excluded paths and the state directory");
  }

  @Test
  void directoryMtimeAloneDoesNotBump() throws IOException {
    write("etc/fleeting", "x");
    Files.delete(root.resolve("etc/fleeting"));
    assertSteady("a file created and removed again");
  }

  @Test
  void readingFilesDoesNotBump() throws IOException {
    Files.readAllBytes(root.resolve("etc/passwd"));
    assertSteady("reading a file");
  }

  @Test
  void scanOverlappingAnUpdateIsNotPublished() throws IOException {
    epoch.set(1);
    assertFalse(loop.scanOnce());
    assertEquals(1, state.snapshot().scanCount());
  }

  @Test
  void changesHandedToAPassSkippedForAnUpdateAreScannedAfterIt() throws IOException {
    epoch.set(1);
    write("etc/new", "during the update\n");
    long before = generation();
    assertFalse(loop.scanChanges(Set.of("/etc")), "skipped: an update runs");
    epoch.set(2);
    // Change notification has nothing new to say; what the skipped pass was given still counts.
    assertTrue(loop.scanChanges(Set.of()));
    assertEquals(before + 1, generation());
    assertNotNull(state.snapshot().tree().get("/etc/new"));
  }

  @Test
  void thePassAfterAnUpdateIsFullWhateverChangeNotificationHandedIt() throws IOException {
    epoch.set(1);
    write("etc/new", "made by the update\n");
    epoch.set(2);
    // Change notification has not handed over the update's changes yet.
    long before = generation();
    assertTrue(loop.scanChanges(Set.of()));
    assertEquals(before + 1, generation());
    assertNotNull(state.snapshot().tree().get("/etc/new"));
    // After that full pass, passes look only where notification says again.
    write("etc/later", "not yet notified\n");
    assertTrue(loop.scanChanges(Set.of()));
    assertEquals(before + 1, generation());
  }

  @Test
  void fullRehashFindsChangeHiddenFromMetadata() throws IOException {
    // What a failing disk looks like: the cache (i.e. the metadata) says one thing, the bytes
    // another. Simulate it by planting a wrong hash for the file's unchanged metadata.
    Posix.Stat st = Posix.lstat(root.resolve("etc/hosts"));
    cache.correct(st, Hash.of(new byte[] {1, 2, 3}));
    assertBumps("the planted hash, seen by the metadata pass");
    assertEquals(1, rehasher.passOnce());
    assertEquals(1, mismatchCalls.get());
    assertBumps("the real content, found by the full re-hash");
    assertEquals(
        Hash.of("127.0.0.1 localhost\n".getBytes(StandardCharsets.UTF_8)),
        ((dominion.core.fs.RegularInode) state.snapshot().tree().get("/etc/hosts").inode()).hash());
  }

  @Test
  void fullRehashOfUnchangedRootFindsNothing() throws IOException {
    assertEquals(0, rehasher.passOnce());
    assertSteady("a clean full re-hash");
  }

  @Test
  void thePassAfterAnUpdateRestsOffItsCostOnlyAfterItEnds() throws Exception {
    AtomicInteger cpuPercent = new AtomicInteger(100);
    ScanLimits limits = new ScanLimits(cpuPercent::get, () -> 100, 1e9);
    LimitedHasher reader = new LimitedHasher(limits, false);
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    // Each file read costs 50 ms of CPU: at 1% of a CPU, five seconds of rest.
    HashCache costly =
        new HashCache(
            (file, st) -> {
              long end = threads.getCurrentThreadCpuTime() + 50_000_000;
              while (threads.getCurrentThreadCpuTime() < end) {
                Thread.onSpinWait();
              }
              return reader.hash(file, st);
            });
    ScanLoop after =
        new ScanLoop(
            new ScanLoop.Config(
                root, root.resolve(".subd"), Duration.ofSeconds(1), Duration.ofSeconds(60)),
            new Settings(new SubdConfig(100, 1, 100, List.of()), "/.subd"),
            costly,
            new TreeState(1000),
            limits,
            epoch::get,
            null);
    assertTrue(after.scanOnce());
    cpuPercent.set(1);
    // As an update's metadata change would: the ctime moves, so the pass reads the file again.
    Files.setPosixFilePermissions(
        root.resolve("etc/passwd"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    after.wake();
    long start = System.nanoTime();
    assertEquals(ScanLoop.Outcome.FULL, after.runDuePass(start));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "the pass took " + took);
  }

  @Test
  void metadataPassReusesCachedHashes() throws IOException {
    long misses = cache.misses();
    loop.scanOnce();
    assertEquals(misses, cache.misses());
    write("etc/passwd", "changed\n");
    loop.scanOnce();
    assertEquals(misses + 1, cache.misses());
  }

  @Test
  void loopWakesAndRescans() throws Exception {
    loop.start();
    try {
      write("etc/late", "x");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (state.snapshot().tree().get("/etc/late") == null && System.nanoTime() < deadline) {
        loop.wake();
        Thread.sleep(50);
      }
      assertNotNull(state.snapshot().tree().get("/etc/late"));
    } finally {
      loop.close();
    }
  }
}
