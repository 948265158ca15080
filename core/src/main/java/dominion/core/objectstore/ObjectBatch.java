package dominion.core.objectstore;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import dominion.core.hash.HashingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Adds to a {@link DiskObjectStore} that share their waits for the disk. Each {@link #add} writes a
 * temporary file while hashing it and verifies the hash at once, but does not fsync; {@link
 * #commit} fsyncs all the batch's files concurrently, names them, and fsyncs each touched shard
 * directory once. A name is given by one rename that refuses to replace a name ({@link
 * Posix#renameNoReplace}), or by a link where the file system cannot refuse; either keeps the
 * object another writer stored first. One fsync per object, in turn, costs milliseconds each on
 * most disks and dominates a bulk upload of small files; concurrent fsyncs share journal commits.
 *
 * <p>Given a {@link StoreFlush}, a commit instead flushes the whole file system once before it
 * names and once after: two disk round trips for any number of objects, at the price of also
 * writing whatever else is dirty on that file system.
 *
 * <p>The batch writes its files in a directory of its own in the store's temporary directory, made
 * for its first add after each commit and removed with the commit. On ext4 each such directory, and
 * so the inodes of its files, starts in a block group of its own (see {@link DiskObjectStore}).
 *
 * <p>Crash safety is the store's: an object is named only after its bytes are durable, and {@link
 * #commit} returns only after the names are. Objects are not visible before {@link #commit}. Not
 * thread-safe: one writer per batch. Close it to discard uncommitted adds.
 */
public final class ObjectBatch implements AutoCloseable {
  private static final int BUFFER = 1 << 16;
  private static final int CONCURRENT_SYNCS = 32;

  private static final class Pending {
    final Path temp;
    final Hash hash;
    final long size;
    boolean renamed;

    Pending(Path temp, Hash hash, long size) {
      this.temp = temp;
      this.hash = hash;
      this.size = size;
    }
  }

  private final DiskObjectStore store;
  private final ObjectLayout layout;
  private final StoreFlush flush;
  private final String name = "batch-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final List<Pending> pending = new ArrayList<>();
  // One copy buffer for every add: a batch of thousands of small objects would otherwise allocate
  // a buffer each, and a small heap pays for that garbage in collections.
  private final byte[] buffer = new byte[BUFFER];
  private final Set<Hash> inBatch = new HashSet<>();
  private long pendingBytes;
  private long temps;
  // The batch's directory in the store's temporary directory while it holds files, else null.
  private Path staging;
  // False once the file system refused RENAME_NOREPLACE: commits link instead.
  private boolean renames;

  /**
   * @param flush flushes the store's file system, or null to fsync each file and directory
   */
  ObjectBatch(DiskObjectStore store, ObjectLayout layout, StoreFlush flush) {
    this(store, layout, flush, true);
  }

  /**
   * @param renames false to name by links from the start, as where the file system lacks {@code
   *     RENAME_NOREPLACE} (for tests)
   */
  ObjectBatch(DiskObjectStore store, ObjectLayout layout, StoreFlush flush, boolean renames) {
    this.store = store;
    this.layout = layout;
    this.flush = flush;
    this.renames = renames;
  }

  /**
   * Reads {@code data} to its end and stages it, as {@link ObjectAdder#add} stores it. {@code
   * added} in the result is true if the object was neither stored nor staged in this batch already
   * (another writer may still store it first; then the commit keeps theirs).
   *
   * @throws HashMismatchException if {@code expected} is given and the bytes hash otherwise;
   *     nothing is staged then, and what was staged before stays staged
   */
  public ObjectAdder.AddResult add(InputStream data, Hash expected) throws IOException {
    if (expected != null && (inBatch.contains(expected) || store.has(expected))) {
      long n = data.transferTo(OutputStream.nullOutputStream());
      return new ObjectAdder.AddResult(expected, n, false);
    }
    if (staging == null) {
      // The name is this batch's own (random), so it cannot exist unless something is badly wrong.
      staging = Files.createDirectory(layout.tempDir().resolve(name));
    }
    Path temp = staging.resolve(temps++ + ".tmp");
    boolean keep = false;
    try {
      Hash actual;
      long size;
      // CREATE_NEW: in the batch's own directory, the name cannot exist; failing then is right.
      try (FileChannel ch =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          HashingOutputStream out = new HashingOutputStream(Channels.newOutputStream(ch))) {
        for (int n; (n = data.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
        }
        out.flush();
        actual = out.hash();
        size = out.count();
      }
      if (expected != null && !expected.equals(actual)) {
        throw new HashMismatchException(expected, actual);
      }
      // An expected hash was looked for above, before the bytes were read.
      if (expected == null && (inBatch.contains(actual) || store.has(actual))) {
        return new ObjectAdder.AddResult(actual, size, false);
      }
      inBatch.add(actual);
      pending.add(new Pending(temp, actual, size));
      pendingBytes += size;
      keep = true;
      return new ObjectAdder.AddResult(actual, size, true);
    } finally {
      if (!keep) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Objects staged since the last commit. */
  public int pendingCount() {
    return pending.size();
  }

  /** Bytes staged since the last commit. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /**
   * Makes every staged object durable and visible; the batch may then be used again. Returns the
   * hashes this commit named (not those another writer stored meanwhile), in the order they were
   * added.
   */
  public List<Hash> commit() throws IOException {
    if (pending.isEmpty()) {
      discard(); // an add that failed may have left the batch's directory
      return List.of();
    }
    // Bytes first, names second: a crash between leaves unnamed temporary files (discarded on
    // restart) or names whose bytes are already on disk, never a name for missing bytes.
    if (flush != null) {
      flush.flush();
    } else {
      concurrently(pending.stream().map(p -> p.temp).toList(), false);
    }
    Set<Path> shards = new HashSet<>();
    List<Hash> linked = new ArrayList<>(pending.size());
    boolean madeShard = false;
    for (Pending p : pending) {
      Path target = layout.pathOf(p.hash);
      Path shard = target.getParent();
      try {
        try {
          name(p, target);
        } catch (NoSuchFileException e) {
          // No shard directory yet: it is made for its first object.
          Files.createDirectories(shard);
          madeShard = true;
          name(p, target);
        }
        shards.add(shard);
        linked.add(p.hash);
        store.counted(p.size);
      } catch (FileAlreadyExistsException e) {
        // Another writer stored it meanwhile: the same bytes, by their name.
      }
    }
    if (flush != null) {
      flush.flush();
    } else {
      if (madeShard) {
        DiskObjectStore.syncDirectory(layout.dir());
      }
      concurrently(List.copyOf(shards), true);
    }
    discard();
    return linked;
  }

  @Override
  public void close() throws IOException {
    discard();
  }

  // Gives a staged object its name: by one rename where the file system can refuse to replace a
  // name, else by a link (the temporary name then goes in discard).
  private void name(Pending p, Path target) throws IOException {
    if (renames && Posix.renameNoReplace(p.temp, target)) {
      p.renamed = true;
      return;
    }
    renames = false;
    Files.createLink(target, p.temp);
  }

  private void discard() throws IOException {
    for (Pending p : pending) {
      if (!p.renamed) {
        Files.deleteIfExists(p.temp);
      }
    }
    pending.clear();
    inBatch.clear();
    pendingBytes = 0;
    if (staging != null) {
      // Empty now: each add deletes its file when it fails, and every staged one is gone above.
      Files.delete(staging);
      staging = null;
      temps = 0;
    }
  }

  // fsyncs files (or directories) on virtual threads, a bounded number at a time.
  private static void concurrently(List<Path> paths, boolean directories) throws IOException {
    Semaphore slots = new Semaphore(CONCURRENT_SYNCS);
    List<Future<?>> syncs = new ArrayList<>(paths.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Path path : paths) {
        syncs.add(
            threads.submit(
                () -> {
                  slots.acquire();
                  try (FileChannel ch =
                      FileChannel.open(
                          path, directories ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
                    ch.force(true);
                  } finally {
                    slots.release();
                  }
                  return null;
                }));
      }
      for (Future<?> sync : syncs) {
        sync.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while syncing objects");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new IOException("sync objects: " + io.getMessage(), io);
      }
      throw new IOException("sync objects: " + e.getCause(), e.getCause());
    }
  }
}
