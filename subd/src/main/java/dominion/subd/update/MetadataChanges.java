package dominion.subd.update;

import dominion.core.fs.FileType;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The metadata changes of one update: owner, mode, capability and mtime of inodes whose content is
 * already right. A change moves a file's ctime, which the scanner's hash cache is keyed by, so
 * without a word the pass after the update would read every such file again (an image rebuilt with
 * new mtimes can change thousands). After the window, {@link #hintScanner} tells the scanner that a
 * changed file still holds what it held, when that is sure: the scanner knew the file's hash just
 * before the change, it is the image's, and size and mtime after it are the image's (a later write
 * would move the mtime; one that restores it is the full re-hash's to find).
 */
final class MetadataChanges {
  private record Changed(Path path, Posix.Stat before, RegularInode inode) {}

  private final RootFs root;
  private final InodeWriter writer;
  private final HashHints hints;
  private final List<Changed> changed = new ArrayList<>();

  MetadataChanges(RootFs root, InodeWriter writer, HashHints hints) {
    this.root = root;
    this.writer = writer;
    this.hints = hints;
  }

  /** In the window: changes the metadata of the inode at {@code m}'s path. */
  void apply(UpdatePlan.PathInode m) throws IOException {
    Path path = root.resolve(m.path());
    Posix.Stat st = Posix.lstat(path);
    if ((st.mode() & FileType.TYPE_MASK) != m.inode().type().bits()) {
      throw new IOException(
          "change metadata of "
              + m.path()
              + ": it is not of type "
              + m.inode().type().name().toLowerCase(Locale.ROOT)
              + "; the update was computed from a stale scan");
    }
    writer.setMetadata(m.inode(), path);
    if (m.inode() instanceof RegularInode r) {
      changed.add(new Changed(path, st, r));
    }
  }

  /** After the window: carries the scanner's hashes of changed files over to their new ctime. */
  void hintScanner() {
    for (Changed c : changed) {
      Hash before = hints.peek(c.before());
      if (before == null || !before.equals(c.inode().hash())) {
        continue; // Unknown, or not the image's content: the scan reads it.
      }
      Posix.Stat after;
      try {
        after = Posix.lstat(c.path());
      } catch (IOException e) {
        continue; // Gone: the scan will see.
      }
      if (after.ino() == c.before().ino()
          && after.dev() == c.before().dev()
          && after.size() == c.inode().size()
          && after.mtimeNanos() == c.inode().mtimeNanos()) {
        hints.known(after, before);
      }
    }
  }
}
