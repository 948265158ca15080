package dominion.proto.subd;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;

/**
 * A JSON-friendly {@link Inode}: one record for every kind, the kind given by the type bits of
 * {@code mode}.
 *
 * @param mode the full {@code st_mode} (type bits and permissions)
 * @param uid owner
 * @param gid group
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param size a regular file's length; null for other kinds
 * @param hash a regular file's SHA-512 as 128 hex digits; null for other kinds
 * @param capability a regular file's raw {@code security.capability} attribute as lowercase hex;
 *     null when it has none (and for other kinds)
 * @param target a symlink's target; null for other kinds
 * @param rdev a device's number (0 for a FIFO); null for other kinds
 */
public record InodeSpec(
    int mode,
    int uid,
    int gid,
    long mtimeNanos,
    Long size,
    String hash,
    String capability,
    String target,
    Long rdev) {

  /** The spec of {@code inode}. */
  public static InodeSpec of(Inode inode) {
    return switch (inode) {
      case DirectoryInode d ->
          new InodeSpec(d.mode(), d.uid(), d.gid(), d.mtimeNanos(), null, null, null, null, null);
      case RegularInode r ->
          new InodeSpec(
              r.mode(),
              r.uid(),
              r.gid(),
              r.mtimeNanos(),
              r.size(),
              r.hash().hex(),
              r.capability(),
              null,
              null);
      case SymlinkInode s ->
          new InodeSpec(
              s.mode(), s.uid(), s.gid(), s.mtimeNanos(), null, null, null, s.target(), null);
      case SpecialInode s ->
          new InodeSpec(
              s.mode(), s.uid(), s.gid(), s.mtimeNanos(), null, null, null, null, s.rdev());
    };
  }

  /**
   * The inode this spec describes.
   *
   * @throws IllegalArgumentException if the mode's type is unsupported or a field the kind needs is
   *     missing or malformed (the message names it)
   */
  public Inode toInode() {
    FileType type = FileType.ofMode(mode);
    return switch (type) {
      case DIRECTORY -> new DirectoryInode(mode, uid, gid, mtimeNanos);
      case REGULAR -> {
        if (size == null || hash == null) {
          throw new IllegalArgumentException("bad inode spec: a regular file needs size and hash");
        }
        yield new RegularInode(mode, uid, gid, mtimeNanos, size, Hash.parse(hash), capability);
      }
      case SYMLINK -> {
        if (target == null) {
          throw new IllegalArgumentException("bad inode spec: a symlink needs a target");
        }
        yield new SymlinkInode(mode, uid, gid, mtimeNanos, target);
      }
      case CHAR_DEVICE, BLOCK_DEVICE, FIFO ->
          new SpecialInode(mode, uid, gid, mtimeNanos, rdev == null ? 0 : rdev);
    };
  }
}
