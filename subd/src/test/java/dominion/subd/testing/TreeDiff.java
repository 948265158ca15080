package dominion.subd.testing;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreePaths;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Trigger;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.InodeSpec;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.MetadataChange;
import dominion.proto.subd.UpdateRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a dominator would send a sub whose scanned tree is {@code sub} to bring it to {@code image}
 * (the dominator owns the real diff; no daemon depends on another): the objects to fetch and the
 * update. Paths the exclusions match are left alone on both sides. Used by the crash tests and the
 * benchmark.
 */
public final class TreeDiff {
  /** The objects the sub lacks, in the image's order. */
  public final Set<Hash> fetch = new LinkedHashSet<>();

  private final List<DirectoryToMake> dirs = new ArrayList<>();
  private final List<InodeToMake> inodes = new ArrayList<>();
  private final List<HardLink> links = new ArrayList<>();
  private final List<String> deletes = new ArrayList<>();
  private final List<MetadataChange> metadata = new ArrayList<>();

  /** The diff with no exclusions. */
  public TreeDiff(FileTree sub, Set<Hash> cached, FileTree image) {
    this(sub, cached, image, Filter.EMPTY);
  }

  public TreeDiff(FileTree sub, Set<Hash> cached, FileTree image, Filter exclusions) {
    Map<Long, String> firstPath = new HashMap<>();
    Map<Long, Boolean> rewritten = new HashMap<>();
    for (Entry e : image.entries()) {
      if (exclusions.matchWithAncestors(e.path())) {
        continue;
      }
      Entry have = sub.get(e.path());
      if (e.inode() instanceof DirectoryInode d) {
        if (!(have != null
            && have.inode() instanceof DirectoryInode h
            && h.mode() == d.mode()
            && h.uid() == d.uid()
            && h.gid() == d.gid())) {
          dirs.add(new DirectoryToMake(e.path(), d.mode(), d.uid(), d.gid()));
        }
        continue;
      }
      String first = firstPath.putIfAbsent(e.inum(), e.path());
      if (first != null) {
        Entry haveFirst = sub.get(first);
        boolean linked =
            have != null
                && haveFirst != null
                && have.inum() == haveFirst.inum()
                && !rewritten.get(e.inum());
        if (!linked) {
          links.add(new HardLink(e.path(), first));
        }
        continue;
      }
      boolean rewrite = !sameContent(have, e.inode());
      rewritten.put(e.inum(), rewrite);
      if (rewrite) {
        inodes.add(new InodeToMake(e.path(), InodeSpec.of(e.inode())));
        if (e.inode() instanceof RegularInode r && !cached.contains(r.hash())) {
          fetch.add(r.hash());
        }
      } else if (!have.inode().equals(e.inode()) && !(e.inode() instanceof SymlinkInode)) {
        metadata.add(new MetadataChange(e.path(), InodeSpec.of(e.inode())));
      }
    }
    for (Entry e : sub.entries()) {
      if (e.path().equals(TreePaths.ROOT) || exclusions.matchWithAncestors(e.path())) {
        continue;
      }
      Entry parentWanted = image.get(TreePaths.parent(e.path()));
      if (image.get(e.path()) == null
          && parentWanted != null
          && parentWanted.inode() instanceof DirectoryInode) {
        deletes.add(e.path());
      }
    }
  }

  private static boolean sameContent(Entry have, Inode want) {
    if (have == null) {
      return false;
    }
    return switch (want) {
      case RegularInode r ->
          have.inode() instanceof RegularInode h
              && h.hash().equals(r.hash())
              && h.size() == r.size();
      case SymlinkInode s ->
          have.inode() instanceof SymlinkInode h
              && h.target().equals(s.target())
              && h.uid() == s.uid()
              && h.gid() == s.gid();
      default -> have.inode().equals(want);
    };
  }

  public List<String> fetchHex() {
    return fetch.stream().map(Hash::hex).toList();
  }

  public boolean isEmpty() {
    return dirs.isEmpty()
        && inodes.isEmpty()
        && links.isEmpty()
        && deletes.isEmpty()
        && metadata.isEmpty();
  }

  public UpdateRequest request(String imageName, List<Trigger> triggers) {
    return new UpdateRequest(
        imageName, false, dirs, inodes, null, links, deletes, metadata, triggers);
  }

  /** One line of counts. */
  public String summary() {
    return fetch.size()
        + " objects to fetch, "
        + dirs.size()
        + " directories, "
        + inodes.size()
        + " inodes, "
        + links.size()
        + " hard links, "
        + deletes.size()
        + " deletes, "
        + metadata.size()
        + " metadata changes";
  }

  @Override
  public String toString() {
    return summary();
  }
}
