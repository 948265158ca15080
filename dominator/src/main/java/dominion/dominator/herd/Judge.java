package dominion.dominator.herd;

import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Trigger;
import dominion.dominator.diff.Diff;
import dominion.dominator.diff.Differ;
import dominion.mdb.Machine;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.SubdStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a sub's tree into the facts the herd keeps: the verdict, the planned pre-fetch. */
final class Judge {
  private static final Logger log = LoggerFactory.getLogger(Judge.class);
  // Free space a fetch must leave on the sub: the objects are later copied into the tree.
  private static final long RESERVE_BYTES = 16L << 20;

  private final HerdContext ctx;

  Judge(HerdContext ctx) {
    this.ctx = ctx;
  }

  Verdict verdict(
      long generation,
      String imageName,
      ImageCache.Lookup.Ready image,
      FileTree tree,
      Set<Hash> cache,
      List<Trigger> previousTriggers,
      SubdStatus s)
      throws InterruptedException {
    Diff diff = diff(tree, cache, previousTriggers, image, imageName, s);
    // The safety check: a non-sparse update that removes more than half the sub's files, or an
    // image with fewer than half as many files as the sub has where the image manages.
    boolean unsafe =
        !diff.compliant()
            && !image.image().sparse()
            && diff.subFiles() >= Math.max(1, ctx.config().safetyMinFiles())
            && (2L * diff.filesRemoved() > diff.subFiles() || 2L * image.files() < diff.subFiles());
    return new Verdict(generation, imageName, diff, unsafe, false);
  }

  private Diff diff(
      FileTree tree,
      Set<Hash> cache,
      List<Trigger> previousTriggers,
      ImageCache.Lookup.Ready image,
      String name,
      SubdStatus s)
      throws InterruptedException {
    List<String> exclusions = s.config() == null ? null : s.config().scanExclusions();
    Filter excluded = exclusions == null || exclusions.isEmpty() ? null : Filter.parse(exclusions);
    ctx.diffs().acquire();
    try {
      return Differ.compute(
          new Differ.Input(tree, cache, image.image(), name, excluded, previousTriggers));
    } finally {
      ctx.diffs().release();
    }
  }

  /** The planned image's pre-fetch for a compliant sub's tree; null when there is none. */
  Planned planned(Machine m, long generation, FileTree tree, Set<Hash> cache, SubdStatus s)
      throws InterruptedException {
    String wanted = m.plannedImage();
    if (wanted == null || wanted.equals(m.requiredImage())) {
      return null;
    }
    ImageCache.Lookup lookup = ctx.images().get(wanted);
    if (!(lookup instanceof ImageCache.Lookup.Ready image)) {
      return new Planned(
          generation,
          wanted,
          List.of(),
          0,
          Planned.Stage.NOT_READY,
          ((ImageCache.Lookup.NotReady) lookup).reason());
    }
    Diff diff = diff(tree, cache, null, image, wanted, s);
    Planned.Stage stage =
        diff.objectsToFetch().isEmpty() ? Planned.Stage.FETCHED : Planned.Stage.PENDING;
    return new Planned(generation, wanted, diff.objectsToFetch(), diff.bytesToFetch(), stage, null);
  }

  /**
   * Deletes the cache objects a compliant sub no longer needs: all but those of its planned image.
   * Best effort: a failure only leaves objects for the next time.
   */
  void cleanup(SubApi api, String hostname, Verdict verdict, Planned planned, Set<Hash> cache) {
    if (cache.isEmpty() || (planned != null && planned.stage() == Planned.Stage.NOT_READY)) {
      return;
    }
    Set<Hash> keep = new HashSet<>();
    if (planned != null) {
      ImageCache.Lookup lookup = ctx.images().get(planned.image());
      if (lookup instanceof ImageCache.Lookup.Ready image) {
        image
            .image()
            .tree()
            .entries()
            .forEach(
                e -> {
                  if (e.inode() instanceof RegularInode r) {
                    keep.add(r.hash());
                  }
                });
      }
    }
    List<String> drop = cache.stream().filter(h -> !keep.contains(h)).map(Hash::hex).toList();
    if (drop.isEmpty()) {
      return;
    }
    try {
      api.cleanup(drop);
      log.debug(
          "sub {}: removed {} cache objects after reaching {}",
          hostname,
          drop.size(),
          verdict.image());
    } catch (RpcException e) {
      log.debug("sub {}: cache cleanup failed: {}", hostname, e.getMessage());
    }
  }

  /** Why the sub cannot take {@code bytes} more, or null if it can. */
  static String spaceProblem(SubdStatus s, long bytes) {
    long need = bytes + bytes / 10 + RESERVE_BYTES;
    if (bytes > 0 && s.freeBytes() < need) {
      return "the sub has "
          + s.freeBytes()
          + " bytes free, the fetch needs "
          + need
          + " (objects plus a margin); free space on it";
    }
    return null;
  }

  /** The services a diff's fired triggers name, for logs. */
  static String services(Diff diff) {
    return diff.firedTriggers().stream()
        .map(Trigger::service)
        .distinct()
        .collect(Collectors.joining(","));
  }
}
