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
import dominion.subd.state.VerifiedObjects;
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
 * inodes. A regular file's content is the cache object itself when the caller allows it (the last
 * use of the object in an update) and no name in the tree holds it yet: a hard link, nothing
 * written; the update drops the cache's name once the file is in place. Otherwise it is a copy (two
 * paths never share an inode by accident). An object this process hashed as it entered the cache
 * and that is untouched since (see {@link VerifiedObjects}) is used as it is, copied in the kernel;
 * any other is hashed again first, since a cache file can rot or, once linked into the tree, be
 * written through the tree. The order of metadata matters: {@code chown} clears setuid bits and
 * capabilities, so it comes first, then {@code chmod}, the capability, and the mtime last.
 */
public final class InodeWriter {
  /** How a regular file's content was made. */
  public enum Content {
    /** Not a regular file. */
    NONE,
    /** The cache object itself, hard-linked: the cache's name is to be dropped once installed. */
    LINKED,
    /** A copy of the cache object. */
    COPIED
  }

  private final DiskObjectStore cache;
  private final VerifiedObjects verified;
  private final boolean durable;

  /** An InodeWriter that trusts no object without hashing it again. */
  public InodeWriter(DiskObjectStore cache, boolean durable) {
    this(cache, new VerifiedObjects(0), durable);
  }

  /**
   * @param verified objects that need not be hashed again while they are untouched
   * @param durable the update must flush prepared files to disk before renaming them into place
   *     (one syncfs for all, see {@link Applier}), so a power cut cannot leave a renamed file empty
   */
  public InodeWriter(DiskObjectStore cache, VerifiedObjects verified, boolean durable) {
    this.cache = cache;
    this.verified = verified;
    this.durable = durable;
  }

  public boolean durable() {
    return durable;
  }

  /** Creates {@code inode} at {@code temp} (which must not exist), copying any content. */
  public void prepare(Inode inode, Path temp) throws IOException {
    prepare(inode, temp, false);
  }

  /**
   * Creates {@code inode} at {@code temp} (which must not exist).
   *
   * @param mayLink the cache object may become the file itself (no later step of the update reads
   *     it from the cache)
   */
  public Content prepare(Inode inode, Path temp, boolean mayLink) throws IOException {
    Content content = Content.NONE;
    switch (inode) {
      case RegularInode r -> content = prepareContent(r, temp, mayLink);
      case SymlinkInode s -> Posix.symlink(s.target(), temp);
      case SpecialInode s -> Posix.mknod(temp, s.mode(), s.rdev());
      case DirectoryInode d -> Files.createDirectory(temp);
    }
    setMetadata(inode, temp);
    return content;
  }

  private Content prepareContent(RegularInode r, Path temp, boolean mayLink) throws IOException {
    Path object = cache.pathOf(r.hash());
    Posix.Stat st = Posix.lstatIfExists(object);
    if (st == null || !st.isRegular()) {
      throw new MissingObjectException(r.hash());
    }
    boolean trusted = verified.unchanged(r.hash(), st) && st.size() == r.size();
    // One link: no name in the tree uses the object yet, so it can become the file itself. Its
    // inode then belongs to the tree (metadata set by the caller); the cache's name goes once the
    // file is in place. With two links it is already some path's file and must be copied.
    if (mayLink && st.nlink() == 1 && st.dev() == Posix.lstat(temp.getParent()).dev()) {
      if (!trusted) {
        verify(r, object);
      }
      Files.createLink(temp, object);
      return Content.LINKED;
    }
    if (trusted) {
      copy(object, temp);
    } else {
      copyVerified(r, object, temp);
    }
    return Content.COPIED;
  }

  /** Adds {@code data} to the cache, hashing it on the way, and remembers it as verified. */
  public void addToCache(InputStream data, dominion.core.hash.Hash hash) throws IOException {
    if (cache.add(data, hash).added()) {
      verified.verified(hash, cache.pathOf(hash));
    }
  }

  /**
   * Drops the cache's name of an object {@link #prepare} linked into the tree, once the file is in
   * place: the tree's file then has one name, and the cache never shares an inode with the tree.
   */
  public void dropCacheName(dominion.core.hash.Hash hash) throws IOException {
    verified.forget(hash);
    cache.delete(hash);
  }

  private void verify(RegularInode r, Path object) throws IOException {
    try (InputStream in = Files.newInputStream(object);
        HashingOutputStream out =
            new HashingOutputStream(java.io.OutputStream.nullOutputStream())) {
      in.transferTo(out);
      checkObject(r, object, out);
    }
  }

  // In the kernel (copy_file_range; a reflink where the file system shares extents).
  private static void copy(Path object, Path temp) throws IOException {
    try (FileChannel in = FileChannel.open(object, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long size = in.size();
      for (long done = 0; done < size; ) {
        long n = in.transferTo(done, size - done, out);
        if (n <= 0) {
          throw new IOException("copy " + object + ": it shrank to " + done + " bytes");
        }
        done += n;
      }
    }
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
