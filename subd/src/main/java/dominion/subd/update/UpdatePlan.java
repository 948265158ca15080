package dominion.subd.update;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.TreePaths;
import dominion.core.hash.Hash;
import dominion.core.image.ImageName;
import dominion.core.image.Trigger;
import dominion.proto.subd.CopyToCache;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.MetadataChange;
import dominion.proto.subd.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link UpdateRequest} checked and decoded before anything on disk changes: every path clean,
 * every inode spec whole, no deletes for a sparse image. Pure.
 */
public record UpdatePlan(
    String imageName,
    List<PathInode> directories,
    List<PathInode> inodes,
    List<Copy> copies,
    List<HardLink> links,
    List<String> deletes,
    List<PathInode> metadata,
    List<Trigger> triggers) {

  /** An inode for a path. */
  public record PathInode(String path, Inode inode) {}

  /** A file on the sub to copy into the cache. */
  public record Copy(String path, Hash hash) {}

  /**
   * Checks and decodes a request.
   *
   * @throws IllegalArgumentException naming the first bad part
   */
  public static UpdatePlan of(UpdateRequest request) {
    if (request.imageName() == null || request.imageName().isBlank()) {
      throw new IllegalArgumentException("bad update: imageName is empty");
    }
    String image = ImageName.of(request.imageName()).value();
    if (request.sparse() && !request.pathsToDelete().isEmpty()) {
      throw new IllegalArgumentException(
          "bad update: image "
              + image
              + " is sparse, so it"
              + " may not delete, but the update lists "
              + request.pathsToDelete().size()
              + " paths to delete");
    }
    List<PathInode> dirs = new ArrayList<>();
    for (DirectoryToMake d : request.directoriesToMake()) {
      dirs.add(
          new PathInode(
              check(d.path(), true),
              DirectoryInode.of(d.mode() & FileType.PERMISSION_MASK, d.uid(), d.gid(), 0)));
    }
    List<PathInode> inodes = new ArrayList<>();
    for (InodeToMake m : request.inodesToMake()) {
      if (m.inode() == null) {
        throw new IllegalArgumentException("bad update: no inode for " + m.path());
      }
      Inode inode = decode(m.path(), () -> m.inode().toInode());
      if (inode instanceof DirectoryInode) {
        dirs.add(new PathInode(check(m.path(), true), inode));
      } else {
        inodes.add(new PathInode(check(m.path(), false), inode));
      }
    }
    List<Copy> copies = new ArrayList<>();
    for (CopyToCache c : request.filesToCopyToCache()) {
      copies.add(new Copy(check(c.path(), false), decode(c.path(), () -> Hash.parse(c.hash()))));
    }
    List<HardLink> links = new ArrayList<>();
    for (HardLink l : request.hardLinksToMake()) {
      links.add(new HardLink(check(l.path(), false), check(l.target(), false)));
    }
    List<String> deletes = new ArrayList<>();
    for (String p : request.pathsToDelete()) {
      deletes.add(check(p, false));
    }
    List<PathInode> metadata = new ArrayList<>();
    for (MetadataChange c : request.metadataChanges()) {
      if (c.inode() == null) {
        throw new IllegalArgumentException("bad update: no inode for " + c.path());
      }
      metadata.add(
          new PathInode(check(c.path(), true), decode(c.path(), () -> c.inode().toInode())));
    }
    return new UpdatePlan(
        image, dirs, inodes, copies, links, deletes, metadata, request.triggers());
  }

  /** Every path the update changes, for trigger matching. */
  public Set<String> changedPaths() {
    Set<String> paths = new LinkedHashSet<>();
    directories.forEach(d -> paths.add(d.path()));
    inodes.forEach(i -> paths.add(i.path()));
    links.forEach(l -> paths.add(l.path()));
    paths.addAll(deletes);
    metadata.forEach(m -> paths.add(m.path()));
    return paths;
  }

  private static String check(String path, boolean rootAllowed) {
    String problem = TreePaths.problem(path);
    if (problem != null) {
      throw new IllegalArgumentException("refused path \"" + path + "\": " + problem);
    }
    if (!rootAllowed && path.equals(TreePaths.ROOT)) {
      throw new IllegalArgumentException("refused path \"/\": the root can only be a directory");
    }
    return path;
  }

  private interface Decoder<T> {
    T get();
  }

  private static <T> T decode(String path, Decoder<T> decoder) {
    try {
      return decoder.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad update entry " + path + ": " + e.getMessage(), e);
    }
  }
}
