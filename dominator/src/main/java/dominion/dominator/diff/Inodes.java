package dominion.dominator.diff;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import java.util.Objects;

/**
 * How the diff compares two inodes at one path. Content decides whether the sub's inode can stay
 * (and at most have its metadata changed) or must be made anew; metadata is what a chmod, chown,
 * utimes or capability change can fix. What is compared, per kind:
 *
 * <ul>
 *   <li>directories: mode, uid, gid (never mtime: entries change it);
 *   <li>regular files: content hash; then mode, uid, gid, mtime, capability;
 *   <li>symlinks: target; then uid, gid (Linux ignores a symlink's mode and the scan cannot keep
 *       its mtime);
 *   <li>devices and FIFOs: type and rdev; then mode, uid, gid.
 * </ul>
 */
final class Inodes {
  private Inodes() {}

  /** True if {@code sub} can become {@code want} by a metadata change alone. */
  static boolean sameContent(Inode want, Inode sub) {
    return switch (want) {
      case DirectoryInode d -> sub instanceof DirectoryInode;
      case RegularInode r -> sub instanceof RegularInode s && r.hash().equals(s.hash());
      case SymlinkInode l -> sub instanceof SymlinkInode s && l.target().equals(s.target());
      case SpecialInode x ->
          sub instanceof SpecialInode s && x.type() == s.type() && x.rdev() == s.rdev();
    };
  }

  /** True if {@code sub} (of the same content) differs from {@code want} in compared metadata. */
  static boolean metadataDiffers(Inode want, Inode sub) {
    if (want.uid() != sub.uid() || want.gid() != sub.gid()) {
      return true;
    }
    return switch (want) {
      case SymlinkInode l -> false;
      case DirectoryInode d -> d.mode() != sub.mode();
      case SpecialInode x -> x.mode() != sub.mode();
      case RegularInode r ->
          r.mode() != sub.mode()
              || r.mtimeNanos() != sub.mtimeNanos()
              || !Objects.equals(r.capability(), ((RegularInode) sub).capability());
    };
  }
}
