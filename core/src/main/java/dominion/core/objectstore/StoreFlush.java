package dominion.core.objectstore;

import java.io.IOException;

/**
 * One flush of everything written to the file system that holds a store (Linux {@code syncfs}):
 * when it returns, every file's data and every directory entry made before the call are durable. An
 * {@link ObjectBatch} given one calls it twice per commit instead of an fsync per object and per
 * shard directory.
 */
@FunctionalInterface
public interface StoreFlush {
  /** Flushes the file system; an exception means nothing may be assumed durable. */
  void flush() throws IOException;
}
