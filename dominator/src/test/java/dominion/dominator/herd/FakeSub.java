package dominion.dominator.herd;

import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResponse;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdStatus;
import dominion.proto.subd.UpdateRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A subd in memory: polls answer from its fields, a fetch fills the cache, an update replaces the
 * tree with {@link #afterUpdate} and bumps the generation. Tests steer it through its fields.
 *
 * <p>With {@link #scansPublish} it behaves as subd does: an update changes the files only, and the
 * tree and generation follow at the next {@link #scan()}.
 */
final class FakeSub implements SubApi {
  FileTree tree;
  FileTree afterUpdate;
  Set<Hash> cache = new HashSet<>();
  long generation = 1;
  long startTime = 1000;
  long clock = 100;
  long lastScanEnd = 50;
  long lastScanDuration = 1;
  long lastUpdateEnd;
  long freeBytes = 1L << 40;
  boolean fetchInProgress;
  boolean updateInProgress;
  boolean holdFetch;
  boolean holdUpdate;
  String lastFetchError;
  String lastUpdateError;
  String failNextUpdateWith;
  boolean scansPublish;
  // With scansPublish: the files as an update left them, until a scan publishes them.
  FileTree onDisk;
  // The Update call fails with this after subd has started the update (the answer was lost).
  RpcException loseNextUpdateAnswer;
  // The next Update call finds another update running and is refused.
  boolean refuseNextUpdate;
  // The status describes a newer scan than the tree it comes with.
  boolean statusAhead;
  String lastImage;
  List<Trigger> lastTriggers = List.of();
  RpcException pollError;
  RpcException fetchError;
  final List<Long> polledWith = new ArrayList<>();
  final List<FetchRequest> fetches = new ArrayList<>();
  final List<UpdateRequest> updates = new ArrayList<>();
  final List<List<String>> cleanups = new ArrayList<>();

  FakeSub(FileTree tree) {
    this.tree = tree;
  }

  @Override
  public PollResult poll(long haveGeneration, boolean shortOnly) {
    polledWith.add(shortOnly ? -1 : haveGeneration);
    if (pollError != null) {
      throw pollError;
    }
    SubdStatus status =
        new SubdStatus(
            statusAhead ? generation + 1 : generation,
            3,
            lastScanEnd,
            lastScanDuration,
            lastImage,
            fetchInProgress,
            updateInProgress,
            lastFetchError,
            lastUpdateError,
            2,
            lastUpdateEnd,
            0,
            freeBytes,
            cache.size(),
            0,
            new SubdConfig(2, 1, 10, List.of()),
            List.of(),
            startTime);
    boolean hasTree = generation != 0 && generation != haveGeneration && !shortOnly;
    return new PollResult(
        new PollResponse(generation, hasTree, status, hasTree ? lastTriggers : null),
        hasTree ? tree : null,
        hasTree ? Set.copyOf(cache) : null);
  }

  @Override
  public void fetch(FetchRequest request) {
    if (fetchError != null) {
      throw fetchError;
    }
    fetches.add(request);
    fetchInProgress = holdFetch;
    lastFetchError = null;
    if (!holdFetch) {
      request.hashes().forEach(h -> cache.add(Hash.parse(h)));
    }
  }

  /** Ends a held fetch successfully. */
  void finishFetch() {
    fetchInProgress = false;
    fetches.getLast().hashes().forEach(h -> cache.add(Hash.parse(h)));
  }

  @Override
  public void update(UpdateRequest request) {
    if (refuseNextUpdate) {
      refuseNextUpdate = false;
      updateInProgress = true;
      throw RpcException.failedPrecondition("update refused: another update is in progress");
    }
    updates.add(request);
    if (loseNextUpdateAnswer != null) {
      RpcException lost = loseNextUpdateAnswer;
      loseNextUpdateAnswer = null;
      updateInProgress = true;
      throw lost;
    }
    if (holdUpdate) {
      updateInProgress = true;
      return;
    }
    applyUpdate();
  }

  /** Ends the update: the tree becomes {@link #afterUpdate} (unless told to fail). */
  void applyUpdate() {
    updateInProgress = false;
    lastUpdateEnd = ++clock;
    if (failNextUpdateWith != null) {
      lastUpdateError = failNextUpdateWith;
      failNextUpdateWith = null;
      return;
    }
    lastUpdateError = null;
    if (!updates.isEmpty()) {
      lastImage = updates.getLast().imageName();
    }
    if (scansPublish) {
      onDisk = afterUpdate;
      return;
    }
    tree = afterUpdate;
    generation++;
  }

  /** A scan finishes that started after everything so far. */
  void scan() {
    clock += 10;
    lastScanEnd = clock;
    lastScanDuration = 1;
    if (onDisk != null) {
      tree = onDisk;
      onDisk = null;
      generation++;
    }
  }

  @Override
  public void cleanup(List<String> hashes) {
    cleanups.add(hashes);
    hashes.forEach(h -> cache.remove(Hash.parse(h)));
  }
}
