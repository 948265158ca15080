package dominion.dominator.herd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import dominion.mdb.Machine;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sub state machine against a fake subd, one round at a time. */
class SubTest {
  private static final ImageMetadata META = new ImageMetadata("t", 0, 0, null, null);
  private final Map<String, Image> images = new HashMap<>();
  private Controls controls;
  private HerdConfig config;
  private FakeSub fake;
  private Sub sub;

  private static Hash hash(String s) {
    return Hash.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static FileTree tree(String... files) {
    FileTree.Builder b = new FileTree.Builder().add("/", 1, DirectoryInode.of(0755, 0, 0, 0));
    long inum = 2;
    for (String f : files) {
      b.add("/" + f, inum++, RegularInode.of(0644, 0, 0, 0, f.length(), hash(f)));
    }
    return b.build();
  }

  private static Image image(FileTree t) {
    return new Image(t, Filter.EMPTY, Triggers.NONE, META);
  }

  @BeforeEach
  void setUp() throws Exception {
    config =
        HerdConfig.defaults("images:6971")
            .withPollInterval(Duration.ofSeconds(5))
            .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
            .withImageRetry(Duration.ZERO)
            .withSafetyMinFiles(2);
    controls = new Controls(null, 10, 1, Clock.systemUTC());
    fake = new FakeSub(tree("a", "b"));
    images.put("img/1", image(tree("a", "c")));
    fake.afterUpdate = images.get("img/1").tree();
    sub = newSub(machine("img/1"));
  }

  private Sub newSub(Machine m) {
    ImageCache cache =
        new ImageCache(
            name -> {
              Image i = images.get(name.value());
              if (i == null) {
                throw RpcException.notFound("no image " + name);
              }
              return i;
            },
            config.imageRetry(),
            Clock.systemUTC());
    return new Sub(m, HerdContext.of(config, cache, controls, (h, p) -> fake, Clock.systemUTC()));
  }

  private static Machine machine(String required) {
    return Machine.of("web1").withRequiredImage(required);
  }

  private SubState state() {
    return sub.view().state();
  }

  // Rounds until the state is reached (zero delays are taken at once, as the herd does).
  private void stepUntil(SubState want, int maxRounds) throws Exception {
    for (int i = 0; i < maxRounds && state() != want; i++) {
      sub.step();
    }
    assertEquals(want, state(), String.valueOf(sub.view().info().lastError()));
  }

  @Test
  void convergesThroughFetchUpdateAndAFreshScan() throws Exception {
    sub.step();
    assertEquals(SubState.FETCHING, state());
    assertEquals(List.of(hash("c").hex()), fake.fetches.getFirst().hashes());
    assertEquals("images:6971", fake.fetches.getFirst().serverAddress());
    sub.step();
    assertEquals(SubState.UPDATING, state());
    assertEquals(List.of("/b"), fake.updates.getFirst().pathsToDelete());
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, state());
    fake.scan();
    stepUntil(SubState.SYNCED, 3);
    assertEquals(1, fake.updates.size());
  }

  @Test
  void aSyncedSubIsPolledShortWithItsGeneration() throws Exception {
    fake.tree = images.get("img/1").tree();
    sub.step();
    assertEquals(SubState.SYNCED, state());
    sub.step();
    sub.step();
    assertEquals(List.of(0L, 1L, 1L), fake.polledWith);
  }

  @Test
  void driftIsRepairedOnTheNextRound() throws Exception {
    fake.tree = images.get("img/1").tree();
    sub.step();
    fake.tree = tree("a", "c", "junk");
    fake.generation++;
    sub.step();
    assertEquals(SubState.UPDATING, state());
    assertEquals(List.of("/junk"), fake.updates.getFirst().pathsToDelete());
  }

  @Test
  void aNewRequiredImageAsksForTheTreeAgain() throws Exception {
    fake.tree = images.get("img/1").tree();
    sub.step();
    images.put("img/2", image(tree("a")));
    sub.setMachine(machine("img/2"));
    sub.step();
    assertEquals(0L, sub.nextHaveGeneration(), "the next poll asks for the tree");
    sub.step();
    assertEquals(SubState.UPDATING, state());
    assertEquals("img/2", fake.updates.getFirst().imageName());
  }

  @Test
  void anUnreachableSubBacksOffLongerEachTime() throws Exception {
    fake.pollError = new RpcException(ErrorCode.UNAVAILABLE, "connection refused");
    assertEquals(Duration.ofSeconds(1), sub.step());
    assertEquals(Duration.ofSeconds(2), sub.step());
    assertEquals(Duration.ofSeconds(4), sub.step());
    assertEquals(Duration.ofSeconds(8), sub.step());
    assertEquals(Duration.ofSeconds(8), sub.step());
    assertEquals(SubState.UNREACHABLE, state());
    fake.pollError = null;
    sub.step();
    assertEquals(SubState.FETCHING, state());
  }

  @Test
  void aMissingImageIsNotReadyUntilItExists() throws Exception {
    sub.setMachine(machine("img/9"));
    sub.step();
    assertEquals(SubState.IMAGE_NOT_READY, state());
    assertTrue(sub.view().info().lastError().contains("img/9"));
    images.put("img/9", images.get("img/1"));
    stepUntil(SubState.FETCHING, 3);
  }

  @Test
  void noRequiredImageLeavesTheSubAlone() throws Exception {
    sub.setMachine(Machine.of("web1"));
    sub.step();
    assertEquals(SubState.NO_REQUIRED_IMAGE, state());
    assertTrue(fake.fetches.isEmpty());
  }

  @Test
  void aSubThatHasNotScannedIsWaitedFor() throws Exception {
    fake.generation = 0;
    sub.step();
    assertEquals(SubState.WAITING_FOR_SCAN, state());
  }

  @Test
  void globallyDisabledUpdatesHoldEveryChange() throws Exception {
    fake.cache.add(hash("c"));
    controls.setUpdatesDisabled(true, "freeze", "alice");
    sub.step();
    sub.step();
    assertEquals(SubState.UPDATES_DISABLED, state());
    assertTrue(sub.view().info().detail().contains("freeze"));
    assertTrue(fake.updates.isEmpty() && fake.fetches.isEmpty());
    controls.setUpdatesDisabled(false, "thaw", "alice");
    sub.step();
    assertEquals(SubState.UPDATING, state());
  }

  @Test
  void aMachinesDisableUpdatesHoldsItsChanges() throws Exception {
    sub.setMachine(machine("img/1").withDisableUpdates(true));
    sub.step();
    assertEquals(SubState.UPDATES_DISABLED, state());
    assertTrue(fake.fetches.isEmpty());
  }

  @Test
  void anUnsafeUpdateIsHeldUntilCleared() throws Exception {
    fake.tree = tree("a", "b", "d", "e");
    images.put("img/1", image(tree("a")));
    sub.step();
    assertEquals(SubState.UNSAFE_UPDATE, state());
    assertTrue(sub.view().safetyHeld());
    controls.clearSafety("web1", "img/1");
    sub.step();
    assertEquals(SubState.UPDATING, state());
  }

  // A root with 15 managed files, 14 of which the image lacks.
  private void blankishRoot(int minFiles) {
    config = config.withSafetyMinFiles(minFiles);
    String[] files = new String[15];
    for (int i = 0; i < files.length; i++) {
      files[i] = "f" + i;
    }
    fake.tree = tree(files);
    images.put("img/1", image(tree("f0", "new")));
    fake.afterUpdate = images.get("img/1").tree();
    fake.cache.add(hash("new"));
    sub = newSub(machine("img/1"));
  }

  @Test
  void aSubWithFewerFilesThanTheSafetyMinimumIsBroughtIntoItsImage() throws Exception {
    blankishRoot(16);
    sub.step();
    assertEquals(SubState.UPDATING, state());
    assertEquals(14, fake.updates.getFirst().pathsToDelete().size());
  }

  @Test
  void aSubWithAsManyFilesAsTheSafetyMinimumIsHeld() throws Exception {
    blankishRoot(15);
    sub.step();
    assertEquals(SubState.UNSAFE_UPDATE, state());
    assertTrue(sub.view().info().lastError().contains("would remove 14 of 15 files"));
    assertTrue(fake.updates.isEmpty());
  }

  @Test
  void aClearanceLetsOneImageThroughOnce() throws Exception {
    fake.scansPublish = true;
    fake.tree = tree("a", "b", "d", "e");
    images.put("img/1", image(tree("a")));
    images.put("img/2", image(tree("b")));
    fake.afterUpdate = images.get("img/1").tree();
    controls.clearSafety("web1", "img/2");
    sub.step();
    assertEquals(SubState.UNSAFE_UPDATE, state(), "a clearance for img/2 is not one for img/1");
    controls.clearSafety("web1", "img/1");
    sub.step();
    assertEquals(SubState.UPDATING, state());
    fake.applyUpdate();
    fake.scan();
    stepUntil(SubState.SYNCED, 4);
    assertFalse(controls.safetyCleared("web1", "img/1"), "used up by the update");
  }

  @Test
  void theDisableSafetyCheckTagLetsAnUnsafeUpdateThrough() throws Exception {
    fake.tree = tree("a", "b", "d", "e");
    images.put("img/1", image(tree("a")));
    sub.setMachine(
        new Machine(
            "web1",
            null,
            null,
            "img/1",
            null,
            false,
            Map.of("DisableSafetyCheck", "true"),
            null,
            null));
    sub.step();
    assertEquals(SubState.UPDATING, state());
  }

  @Test
  void updatesWaitForAFreeSlot() throws Exception {
    fake.cache.add(hash("c"));
    Controls.Slot taken = controls.tryTakeUpdateSlot(false);
    for (int i = 0; i < 9; i++) {
      controls.tryTakeUpdateSlot(false);
    }
    sub.step();
    assertEquals(SubState.UPDATE_QUEUED, state());
    taken.release();
    sub.step();
    assertEquals(SubState.UPDATING, state());
  }

  @Test
  void highImpactUpdatesHaveTheirOwnCap() throws Exception {
    fake.cache.add(hash("c"));
    Trigger reboot = new Trigger(List.of("/c"), "kernel", false, true, false, "");
    images.put(
        "img/1", new Image(tree("a", "c"), Filter.EMPTY, Triggers.of(List.of(reboot)), META));
    controls.tryTakeUpdateSlot(true);
    sub.step();
    assertEquals(SubState.UPDATE_QUEUED, state());
    assertTrue(sub.view().info().detail().contains("high-impact"));
  }

  @Test
  void theSubsPreviousImageTriggersCountTowardsTheHighImpactCap() throws Exception {
    // img/1 has no triggers, but the image the sub runs marks the service of /b HighImpact, and
    // subd stops that service when the update deletes /b.
    fake.cache.add(hash("c"));
    fake.lastTriggers = List.of(new Trigger(List.of("/b"), "legacy", false, false, true, ""));
    Controls.Slot held = controls.tryTakeUpdateSlot(true);
    sub.step();
    assertEquals(SubState.UPDATE_QUEUED, state());
    assertTrue(sub.view().info().detail().contains("high-impact"));
    assertEquals(List.of("legacy"), sub.view().pendingTriggers());
    held.release();
    sub.step();
    assertEquals(SubState.UPDATING, state());
    assertEquals(1, fake.updates.size());
  }

  // The race behind sent-twice updates: subd started the update, but the dominator never saw the
  // call succeed. Until a scan after it, the sub's tree and the verdict are of the old files.
  @Test
  void anUpdateWhoseAnswerWasLostIsFollowedNotSentAgain() throws Exception {
    fake.scansPublish = true;
    fake.cache.add(hash("c"));
    fake.loseNextUpdateAnswer =
        new RpcException(ErrorCode.UNAVAILABLE, "Subd.Update to web1: no answer within 30 s");
    sub.step();
    assertEquals(SubState.UPDATE_FAILED, state());
    assertTrue(fake.updateInProgress);
    sub.step();
    assertEquals(SubState.UPDATING, state());
    fake.applyUpdate();
    // Same generation, no scan yet: the old verdict would send the update again.
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, state());
    sub.step();
    assertEquals(1, fake.updates.size());
    fake.scan();
    stepUntil(SubState.SYNCED, 3);
    assertEquals(1, fake.updates.size());
  }

  @Test
  void anUpdateRefusedBecauseAnotherRunsWaitsForItAndAFreshScan() throws Exception {
    fake.scansPublish = true;
    fake.cache.add(hash("c"));
    fake.refuseNextUpdate = true;
    sub.step();
    assertEquals(SubState.UPDATING, state());
    assertTrue(fake.updates.isEmpty());
    sub.step();
    assertEquals(SubState.UPDATING, state());
    // The other update makes the files what the image wants.
    fake.applyUpdate();
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, state());
    fake.scan();
    stepUntil(SubState.SYNCED, 3);
    assertTrue(fake.updates.isEmpty(), "nothing was left to update");
  }

  @Test
  void anUpdateRunningWhenTheSubIsFirstSeenIsFollowed() throws Exception {
    // A dominator restarted in the middle of an update (its own, from before).
    fake.scansPublish = true;
    fake.updateInProgress = true;
    sub.step();
    assertEquals(SubState.UPDATING, state());
    fake.applyUpdate();
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, state());
    fake.scan();
    stepUntil(SubState.SYNCED, 3);
    assertTrue(fake.updates.isEmpty());
  }

  @Test
  void aTreeOlderThanItsStatusIsNotJudged() throws Exception {
    fake.cache.add(hash("c"));
    fake.statusAhead = true;
    sub.step();
    assertTrue(fake.updates.isEmpty());
    assertEquals(0, sub.nextHaveGeneration(), "asks for the tree again");
    fake.statusAhead = false;
    stepUntil(SubState.UPDATING, 2);
    assertEquals(1, fake.updates.size());
  }

  @Test
  void aFetchThatWouldFillTheDiskIsNotSent() throws Exception {
    fake.freeBytes = 1000;
    sub.step();
    assertEquals(SubState.INSUFFICIENT_SPACE, state());
    assertTrue(fake.fetches.isEmpty());
  }

  @Test
  void aFailedUpdateIsRetriedAfterBackoff() throws Exception {
    fake.cache.add(hash("c"));
    fake.failNextUpdateWith = "disk on fire";
    sub.step();
    Duration wait = sub.step();
    assertEquals(SubState.UPDATE_FAILED, state());
    assertEquals(Duration.ofSeconds(1), wait);
    // The failed update may have changed part of the tree: retried from a scan made after it.
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, state());
    assertEquals(1, fake.updates.size());
    fake.scan();
    stepUntil(SubState.UPDATING, 3);
    assertEquals(2, fake.updates.size());
  }

  @Test
  void aFailedFetchIsReportedAndRetried() throws Exception {
    fake.holdFetch = true;
    sub.step();
    fake.fetchInProgress = false;
    fake.lastFetchError = "imageserver gone";
    sub.step();
    assertEquals(SubState.FETCH_FAILED, state());
    fake.holdFetch = false;
    stepUntil(SubState.UPDATING, 4);
  }

  @Test
  void aRunningUpdateIsFollowedUntilItEnds() throws Exception {
    fake.cache.add(hash("c"));
    fake.holdUpdate = true;
    sub.step();
    sub.step();
    assertEquals(SubState.UPDATING, state());
    fake.applyUpdate();
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, state());
  }

  @Test
  void aSubdRestartStartsOver() throws Exception {
    fake.cache.add(hash("c"));
    fake.holdUpdate = true;
    sub.step();
    fake.startTime++;
    fake.updateInProgress = false;
    fake.holdUpdate = false;
    assertEquals(Duration.ZERO, sub.step(), "forgets what it knew and asks for the tree at once");
    assertEquals(0L, sub.nextHaveGeneration());
    sub.step();
    assertFalse(state() == SubState.WAITING_FOR_FRESH_SCAN);
    assertEquals(SubState.UPDATING, state());
    assertEquals(2, fake.updates.size());
  }

  @Test
  void thePlannedImageIsPrefetchedIntoASyncedSub() throws Exception {
    fake.tree = images.get("img/1").tree();
    images.put("img/2", image(tree("a", "c", "new")));
    sub.setMachine(machine("img/1").withPlannedImage("img/2"));
    sub.step();
    assertEquals(SubState.SYNCED, state());
    assertEquals(List.of(hash("new").hex()), fake.fetches.getFirst().hashes());
    assertEquals("fetching", sub.view().info().plannedState());
  }

  @Test
  void cacheObjectsASyncedSubNoLongerNeedsAreCleanedUp() throws Exception {
    fake.tree = images.get("img/1").tree();
    fake.cache.add(hash("old"));
    sub.step();
    assertEquals(List.of(List.of(hash("old").hex())), fake.cleanups);
  }

  @Test
  void theViewCarriesTheSubsFacts() throws Exception {
    sub.step();
    var info = sub.view().info();
    assertEquals("web1", info.hostname());
    assertEquals("img/1", info.requiredImage());
    assertEquals("fetching", info.state());
    assertNotNull(sub.events());
  }

  @Test
  void aPlannedImageThatBecomesReadyIsPrefetchedThen() throws Exception {
    fake.tree = images.get("img/1").tree();
    sub.setMachine(machine("img/1").withPlannedImage("img/2"));
    sub.step();
    assertEquals("not-ready", sub.view().info().plannedState());
    images.put("img/2", image(tree("a", "c", "new")));
    sub.step();
    assertEquals(0L, sub.nextHaveGeneration(), "asks for the tree to work out what it lacks");
    sub.step();
    assertEquals(List.of(hash("new").hex()), fake.fetches.getFirst().hashes());
  }
}
