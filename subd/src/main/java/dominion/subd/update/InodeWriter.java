package dominion.subd.update;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.HashingOutputStream;
import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.MissingObjectException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes inodes fully prepared under a temporary name (content from the cache, owner, mode,
 * capability, mtime), ready to be renamed over their target; and changes the metadata of existing
 * inodes. A regular file's content is the cache object itself when no name in the tree holds it yet
 * (a hard link: nothing is written), else a copy; either way it is hashed again first. The order
 * matters: {@code chown} clears setuid bits and capabilities, so it comes first, then {@code
 * chmod}, the capability, and the mtime last.
 */
public final class InodeWriter {
  private final DiskObjectStore cache;
  private final boolean durable;

  /**
   * @param durable the update must flush prepared files to disk before renaming them into place
   *     (one syncfs for all, see {@link Applier}), so a power cut cannot leave a renamed file empty
   */
  public InodeWriter(DiskObjectStore cache, boolean durable) {
    this.cache = cache;
    this.durable = durable;
  }

  public boolean durable() {
    return durable;
  }

  /** Creates {@code inode} at {@code temp} (which must not exist). */
  public void prepare(Inode inode, Path temp) throws IOException {
    switch (inode) {
      case RegularInode r -> {
        Path object = cache.pathOf(r.hash());
        Posix.Stat st = Posix.lstatIfExists(object);
        if (st == null || !st.isRegular()) {
          throw new MissingObjectException(r.hash());
        }
        if (st.nlink() == 1 && st.dev() == Posix.lstat(temp.getParent()).dev()) {
          linkVerified(r, object, temp);
        } else {
          copyVerified(r, object, temp);
        }
      }
      case SymlinkInode s -> Posix.symlink(s.target(), temp);
      case SpecialInode s -> Posix.mknod(temp, s.mode(), s.rdev());
      case DirectoryInode d -> Files.createDirectory(temp);
    }
    setMetadata(inode, temp);
  }

  // An object no name in the tree uses yet becomes the file itself: a hard link, no copy. Its
  // inode then belongs to the tree (metadata set below), so later uses of the same object see
  // two links and copy instead: two paths must never share an inode by accident.
  private void linkVerified(RegularInode r, Path object, Path temp) throws IOException {
    try (InputStream in = Files.newInputStream(object);
        HashingOutputStream out =
            new HashingOutputStream(java.io.OutputStream.nullOutputStream())) {
      in.transferTo(out);
      checkObject(r, object, out);
    }
    Files.createLink(temp, object);
  }

  private void checkObject(RegularInode r, Path object, HashingOutputStream out)
      throws IOException {
    if (out.count() != r.size() || !out.hash().equals(r.hash())) {
      // Rotten, or written in place through a name in the tree: drop it so it is fetched again.
      cache.delete(r.hash());
      throw new IOException(
          "object "
              + r.hash()
              + " in the cache was damaged ("
              + out.count()
              + " bytes hashing to "
              + out.hash()
              + "); removed it, so the next update fetches it"
              + " again");
    }
  }

  // Objects are checked again on use: a cache file can rot on disk like any other.
  private void copyVerified(RegularInode r, Path object, Path temp) throws IOException {
    try (InputStream in = Files.newInputStream(object);
        FileChannel ch =
            FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        HashingOutputStream out = new HashingOutputStream(Channels.newOutputStream(ch))) {
      in.transferTo(out);
      out.flush();
      checkObject(r, object, out);
    }
  }

  /** Sets owner, permissions, capability and mtime of the inode at {@code path}. */
  public void setMetadata(Inode inode, Path path) throws IOException {
    Posix.lchown(path, inode.uid(), inode.gid());
    if (inode.type() == FileType.SYMLINK) {
      return;
    }
    Posix.chmod(path, inode.permissions());
    if (inode instanceof RegularInode r) {
      if (r.capability() != null || Posix.getCapability(path) != null) {
        Posix.setCapability(path, r.capability());
      }
    }
    if (!(inode instanceof DirectoryInode)) {
      Posix.setMtime(path, inode.mtimeNanos());
    }
  }
}
