package dominion.core.objectstore;

import dominion.core.fs.Posix;
import dominion.core.fs.PosixException;
import dominion.core.hash.Hash;
import dominion.core.hash.HashingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Objects as files under one directory (see {@link ObjectLayout}). Every add writes a temporary
 * file while hashing it, verifies the hash, fsyncs, and links it into place only if the name is
 * absent, so concurrent adds of one object are safe and a crash at any moment leaves either no
 * object or a whole one. Thread-safe.
 *
 * <p>The temporary directory is marked as a top directory ({@link Posix#markTopDirectory}), so that
 * on ext4 each {@link ObjectBatch}'s directory in it, and with it the inodes of the batch's files,
 * lands in a block group picked afresh rather than in the temporary directory's own group. An
 * object's inode is the one a sub links into its tree, freed when a later update replaces that
 * file; and ext4 without a journal avoids reusing an inode freed in the last minute (six while the
 * freeing is not yet written): each create checks its group's free inodes in turn, skipping each
 * such one. With one group for every object, each file of a fetch after an update, or after subd's
 * rehearsal, paid for that: in the subd benchmark on such a file system, 160-360 us per create
 * (medians) against 6-35 us in other directories. See docs/subd.md for what spreading them gained.
 */
public final class DiskObjectStore implements ObjectStore {
  private static final int BUFFER = 1 << 16;

  private final ObjectLayout layout;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * Opens (creating if needed) the store in {@code dir}, with all 256 shard directories, discarding
   * writes a crash cut short.
   */
  public DiskObjectStore(Path dir) throws IOException {
    this.layout = new ObjectLayout(dir);
    Files.createDirectories(layout.tempDir());
    try {
      Posix.markTopDirectory(layout.tempDir());
    } catch (PosixException e) {
      // Only where new directories go: the store works the same without it.
    }
    makeShards();
    // Writes a crash cut short: single adds' files, and batches' directories of files.
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(layout.tempDir())) {
      for (Path p : leftovers) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          try (DirectoryStream<Path> files = Files.newDirectoryStream(p)) {
            for (Path f : files) {
              Files.deleteIfExists(f);
            }
          }
        }
        Files.deleteIfExists(p);
      }
    }
    forEachFile(
        (hash, path) -> {
          count.incrementAndGet();
          bytes.addAndGet(Files.size(path));
        });
  }

  // Every shard directory, made now rather than by the adds that first need each: a new store's
  // first batch would otherwise find up to 256 of them missing, each a failed rename, an exception
  // and a retry, and the JIT, which had compiled the naming code without that path, would drop and
  // recompile it in the middle of the batch. In the subd benchmark, a new subd's first fetch took
  // 0.46 s with the shards made beforehand against 0.53 s without (four runs each).
  private void makeShards() throws IOException {
    boolean made = false;
    for (int i = 0; i < 256; i++) {
      Path shard = layout.dir().resolve(ObjectLayout.shardName(i));
      if (!Files.isDirectory(shard)) {
        Files.createDirectories(shard);
        made = true;
      }
    }
    if (made) {
      syncDirectory(layout.dir());
    }
  }

  public ObjectLayout layout() {
    return layout;
  }

  @Override
  public boolean has(Hash hash) {
    return Files.isRegularFile(layout.pathOf(hash));
  }

  @Override
  public InputStream get(Hash hash) throws IOException {
    try {
      return Files.newInputStream(layout.pathOf(hash));
    } catch (NoSuchFileException e) {
      throw new MissingObjectException(hash);
    }
  }

  /** The file holding {@code hash}, for callers that read it directly (zero-copy sends). */
  public Path pathOf(Hash hash) {
    return layout.pathOf(hash);
  }

  @Override
  public long size(Hash hash) throws IOException {
    try {
      return Files.size(layout.pathOf(hash));
    } catch (NoSuchFileException e) {
      throw new MissingObjectException(hash);
    }
  }

  @Override
  public AddResult add(InputStream data, Hash expected) throws IOException {
    if (expected != null && has(expected)) {
      // Cheap check: drain the caller's bytes without storing them again.
      long n = data.transferTo(OutputStream.nullOutputStream());
      return new AddResult(expected, n, false);
    }
    Path temp = Files.createTempFile(layout.tempDir(), "add-", ".tmp");
    try {
      Hash actual;
      long size;
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
          HashingOutputStream out = new HashingOutputStream(Channels.newOutputStream(ch))) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = data.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
        out.flush();
        ch.force(false);
        actual = out.hash();
        size = out.count();
      }
      if (expected != null && !expected.equals(actual)) {
        throw new HashMismatchException(expected, actual);
      }
      return new AddResult(actual, size, linkIntoPlace(temp, actual, size));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Starts a batch of adds that wait for the disk together (see {@link ObjectBatch}): for bulk
   * uploads, where one fsync per object would dominate.
   */
  public ObjectBatch newBatch() {
    return new ObjectBatch(this, layout, null);
  }

  /**
   * Starts a batch whose commit flushes the store's whole file system with {@code flush}, twice,
   * instead of an fsync per object and per directory (see {@link ObjectBatch}).
   */
  public ObjectBatch newBatch(StoreFlush flush) {
    return new ObjectBatch(this, layout, java.util.Objects.requireNonNull(flush, "flush"));
  }

  /** Counts an object an {@link ObjectBatch} linked into place. */
  void counted(long size) {
    count.incrementAndGet();
    bytes.addAndGet(size);
  }

  /** Links a verified temp file to its final name unless one is there; true if it linked. */
  private boolean linkIntoPlace(Path temp, Hash hash, long size) throws IOException {
    Path target = layout.pathOf(hash);
    Path shard = target.getParent();
    if (!Files.isDirectory(shard)) {
      Files.createDirectories(shard);
      syncDirectory(layout.dir());
    }
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    syncDirectory(shard);
    count.incrementAndGet();
    bytes.addAndGet(size);
    return true;
  }

  @Override
  public boolean delete(Hash hash) throws IOException {
    Path path = layout.pathOf(hash);
    long size;
    try {
      size = Files.size(path);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (!Files.deleteIfExists(path)) {
      return false;
    }
    count.decrementAndGet();
    bytes.addAndGet(-size);
    return true;
  }

  @Override
  public void forEach(Consumer<Hash> action) throws IOException {
    forEachFile((hash, path) -> action.accept(hash));
  }

  @Override
  public long count() {
    return count.get();
  }

  @Override
  public long totalBytes() {
    return bytes.get();
  }

  private interface FileVisitor {
    void visit(Hash hash, Path path) throws IOException;
  }

  private void forEachFile(FileVisitor visitor) throws IOException {
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(layout.dir())) {
      for (Path shard : shards) {
        String shardName = shard.getFileName().toString();
        if (shardName.length() != 2 || !Files.isDirectory(shard)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
          for (Path file : files) {
            Hash hash = ObjectLayout.hashOf(shardName, file.getFileName().toString());
            if (hash != null) {
              visitor.visit(hash, file);
            }
          }
        }
      }
    }
  }

  /** Makes a directory's entries durable (Linux allows fsync on a directory opened read-only). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
