package dominion.subd.update;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.MissingObjectException;
import dominion.core.hash.HashingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes inodes fully prepared under a temporary name (content from the cache, owner, mode,
 * capability, mtime), ready to be renamed over their target; and changes the metadata of
 * existing inodes. The order matters: {@code chown} clears setuid bits and capabilities, so it
 * comes first, then {@code chmod}, the capability, and the mtime last.
 */
public final class InodeWriter {
  private final DiskObjectStore cache;
  private final boolean durable;

  /**
   * @param durable the update must flush prepared files to disk before renaming them into place
   *     (one syncfs for all, see {@link Applier}), so a power cut cannot leave a renamed file
   *     empty
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
        if (!Files.isRegularFile(object)) {
          throw new MissingObjectException(r.hash());
        }
        copyVerified(r, object, temp);
      }
      case SymlinkInode s -> Posix.symlink(s.target(), temp);
      case SpecialInode s -> Posix.mknod(temp, s.mode(), s.rdev());
      case DirectoryInode d -> Files.createDirectory(temp);
    }
    setMetadata(inode, temp);
  }

  // Objects are checked again on use: a cache file can rot on disk like any other.
  private void copyVerified(RegularInode r, Path object, Path temp) throws IOException {
    try (InputStream in = Files.newInputStream(object);
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        HashingOutputStream out = new HashingOutputStream(Channels.newOutputStream(ch))) {
      in.transferTo(out);
      out.flush();
      if (out.count() != r.size() || !out.hash().equals(r.hash())) {
        throw new IOException("object " + r.hash() + " in the cache is damaged (" + out.count()
            + " bytes hashing to " + out.hash() + "); remove it and fetch it again");
      }
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
