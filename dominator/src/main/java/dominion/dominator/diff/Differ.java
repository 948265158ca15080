package dominion.dominator.diff;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.TreePaths;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import dominion.proto.subd.CopyToCache;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.InodeSpec;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.MetadataChange;
import dominion.proto.subd.UpdateRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dominator's decision: what a sub must fetch and change to match an image. A pure function of
 * its inputs; the herd does the I/O around it.
 *
 * <p>Rules: paths the image's filter or the sub's scan exclusions match (with their ancestors) are
 * not managed, on either side. A sparse image (no filter) never deletes; an image with a filter
 * deletes what it lacks, except directories that hold unmanaged paths ({@link KeptDirectories}).
 * Inodes are compared as {@link Inodes} says. Hard links are made as the image has them: the first
 * path of a group (in tree order) is made or kept, the others are linked to it. An object is
 * fetched only if it is neither in the sub's cache nor anywhere in its tree; content already in the
 * tree at another path is copied into the cache on the sub instead.
 */
public final class Differ {
  /**
   * @param subTree the sub's scanned tree
   * @param subCache the objects in the sub's cache
   * @param image the required image
   * @param imageName its name, which the update records on the sub
   * @param subExclusions the sub's scan exclusions (null or empty for none)
   * @param previousTriggers the triggers of the image the sub was last updated to, as the sub
   *     reports them (null or empty for none): subd stops the services that these and the new
   *     image's triggers match, so both count in {@link Diff#firedTriggers()}
   */
  public record Input(
      FileTree subTree,
      Set<Hash> subCache,
      Image image,
      String imageName,
      Filter subExclusions,
      List<Trigger> previousTriggers) {

    /** An input for a sub with no previous image's triggers. */
    public Input(
        FileTree subTree, Set<Hash> subCache, Image image, String imageName, Filter subExclusions) {
      this(subTree, subCache, image, imageName, subExclusions, null);
    }
  }

  private final Input in;
  private final FileTree sub;
  private final FileTree img;
  private final Filter filter;
  private final Filter exclusions;
  private final LinkGroups subLinks;
  private final LinkGroups imgLinks;
  private final List<DirectoryToMake> dirs = new ArrayList<>();
  private final List<InodeToMake> inodes = new ArrayList<>();
  private final List<HardLink> links = new ArrayList<>();
  private final List<String> deletes = new ArrayList<>();
  private final List<MetadataChange> metadata = new ArrayList<>();
  private final List<String> changed = new ArrayList<>();
  // Sub paths below a directory the update deletes: subd matches triggers against them too.
  private final List<String> belowDeleted = new ArrayList<>();
  // Objects an InodeToMake needs and the sub's cache lacks, with the sub path to copy from (null
  // when it must be fetched), in first-use order.
  private final Map<Hash, String> needed = new LinkedHashMap<>();
  private final Map<Hash, Long> sizes = new HashMap<>();
  private Map<Hash, String> subContent;
  private int subFiles;
  private int filesRemoved;

  private Differ(Input in) {
    this.in = in;
    this.sub = in.subTree();
    this.img = in.image().tree();
    this.filter = in.image().filter();
    this.exclusions =
        in.subExclusions() == null || in.subExclusions().isEmpty() ? null : in.subExclusions();
    this.subLinks = LinkGroups.of(sub, e -> managed(e.path()));
    this.imgLinks = LinkGroups.of(img, e -> managed(e.path()));
  }

  /** Computes what the sub must fetch and change; see the class comment for the rules. */
  public static Diff compute(Input in) {
    return new Differ(in).run();
  }

  private boolean managed(String path) {
    return !(filter != null && filter.matchWithAncestors(path))
        && !(exclusions != null && exclusions.matchWithAncestors(path));
  }

  private Diff run() {
    for (Entry want : img.entries()) {
      if (managed(want.path())) {
        if (want.inode() instanceof DirectoryInode) {
          directory(want);
        } else {
          List<String> group = imgLinks.of(want);
          if (group.getFirst().equals(want.path())) {
            linkGroup(want, group);
          }
        }
      }
    }
    removals();
    List<Hash> fetch = new ArrayList<>();
    List<CopyToCache> copies = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<Hash, String> n : needed.entrySet()) {
      if (n.getValue() == null) {
        fetch.add(n.getKey());
        bytes += sizes.get(n.getKey());
      } else {
        copies.add(new CopyToCache(n.getValue(), n.getKey().hex()));
      }
    }
    UpdateRequest update =
        changed.isEmpty()
            ? null
            : new UpdateRequest(
                in.imageName(),
                in.image().sparse(),
                dirs,
                inodes,
                copies,
                links,
                deletes,
                metadata,
                in.image().triggers().list());
    List<Trigger> fired = List.of();
    boolean highImpact = false;
    if (!changed.isEmpty()) {
      List<String> triggerPaths = new ArrayList<>(changed);
      triggerPaths.addAll(belowDeleted);
      fired = fired(triggerPaths);
      highImpact = highImpact(fired);
    }
    return new Diff(
        List.copyOf(fetch),
        bytes,
        update,
        subFiles,
        filesRemoved,
        changed.size(),
        fired,
        highImpact);
  }

  // What subd does with an update (SYSTEM.md section 4, step 5): it stops the services that the
  // previous image's triggers or the new image's match, and starts those the new image's match.
  private List<Trigger> fired(List<String> paths) {
    List<Trigger> previous = in.previousTriggers() == null ? List.of() : in.previousTriggers();
    if (previous.isEmpty()) {
      return in.image().triggers().matching(paths);
    }
    List<Trigger> both = new ArrayList<>(previous);
    both.addAll(in.image().triggers().list());
    // A trigger both images have fires once.
    return Triggers.of(both).matching(paths).stream().distinct().toList();
  }

  // HighImpact on any fired trigger; a reboot only by the new image's (subd reboots for those).
  private boolean highImpact(List<Trigger> fired) {
    List<Trigger> next = in.image().triggers().list();
    for (Trigger t : fired) {
      if (t.highImpact() || (t.doReboot() && next.contains(t))) {
        return true;
      }
    }
    return false;
  }

  private void directory(Entry want) {
    Entry have = sub.get(want.path());
    Inode w = want.inode();
    if (have == null || !(have.inode() instanceof DirectoryInode)) {
      dirs.add(new DirectoryToMake(want.path(), w.mode(), w.uid(), w.gid()));
      changed.add(want.path());
    } else if (Inodes.metadataDiffers(w, have.inode())) {
      metadata.add(new MetadataChange(want.path(), InodeSpec.of(w)));
      changed.add(want.path());
    }
  }

  // One inode of the image and every path naming it; group.getFirst() is want's path.
  private void linkGroup(Entry want, List<String> group) {
    String leader = want.path();
    Entry have = sub.get(leader);
    boolean keep =
        have != null && Inodes.sameContent(want.inode(), have.inode()) && linksAllowed(have, group);
    if (keep) {
      if (Inodes.metadataDiffers(want.inode(), have.inode())) {
        metadata.add(new MetadataChange(leader, InodeSpec.of(want.inode())));
        changed.add(leader);
      }
    } else {
      make(leader, want.inode());
    }
    for (String other : group.subList(1, group.size())) {
      Entry o = sub.get(other);
      if (!keep || o == null || o.inum() != have.inum()) {
        links.add(new HardLink(other, leader));
        changed.add(other);
      }
    }
  }

  // The sub's inode may be kept only if every other path naming it is meant to (it is in the
  // image's group) or is about to be deleted; else changing it would change those paths too.
  private boolean linksAllowed(Entry have, List<String> group) {
    for (String p : subLinks.of(have)) {
      boolean deleted = !in.image().sparse() && img.get(p) == null;
      if (!deleted && !group.contains(p)) {
        return false;
      }
    }
    return true;
  }

  private void make(String path, Inode inode) {
    inodes.add(new InodeToMake(path, InodeSpec.of(inode)));
    changed.add(path);
    if (inode instanceof RegularInode r
        && !in.subCache().contains(r.hash())
        && !needed.containsKey(r.hash())) {
      needed.put(r.hash(), subPathOf(r.hash()));
      sizes.put(r.hash(), r.size());
    }
  }

  // A path in the sub's tree whose content is this object, or null. The index is built on first
  // use: a sub that only needs fetched objects or metadata changes never pays for it.
  private String subPathOf(Hash hash) {
    if (subContent == null) {
      subContent = new HashMap<>();
      for (Entry e : sub.entries()) {
        if (e.inode() instanceof RegularInode r) {
          subContent.putIfAbsent(r.hash(), e.path());
        }
      }
    }
    return subContent.get(hash);
  }

  // The sub's side: what is deleted (never for a sparse image), and how many files go.
  private void removals() {
    KeptDirectories kept =
        in.image().sparse() ? null : new KeptDirectories(sub, this::managed, filter, exclusions);
    String removedDir = null;
    boolean removedDirDeleted = false;
    for (Entry have : sub.entries()) {
      String path = have.path();
      boolean file = !(have.inode() instanceof DirectoryInode);
      if (removedDir != null && TreePaths.isWithin(path, removedDir)) {
        // Tree order keeps a subtree together: everything below goes with the directory.
        filesRemoved += file && managed(path) ? 1 : 0;
        subFiles += file && managed(path) ? 1 : 0;
        if (removedDirDeleted) {
          belowDeleted.add(path);
        }
        continue;
      }
      removedDir = null;
      if (path.equals(TreePaths.ROOT) || !managed(path)) {
        continue;
      }
      subFiles += file ? 1 : 0;
      Entry want = img.get(path);
      if (want == null) {
        if (!in.image().sparse() && !(!file && kept.contains(path))) {
          deletes.add(path);
          changed.add(path);
          filesRemoved += file ? 1 : 0;
          removedDir = file ? null : path;
          removedDirDeleted = true;
        }
      } else if (!file && !(want.inode() instanceof DirectoryInode)) {
        removedDir = path;
        removedDirDeleted = false;
      }
    }
  }
}
