package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.io.IOException;
import java.util.function.Consumer;

/** A content-addressed store: every role, plus iteration, deletion and totals. */
public interface ObjectStore extends ObjectGetter, ObjectChecker, ObjectAdder {
  /** Calls {@code action} once per stored object, in no particular order. */
  void forEach(Consumer<Hash> action) throws IOException;

  /** Removes an object; returns false if it was not stored. */
  boolean delete(Hash hash) throws IOException;

  /** Number of stored objects. */
  long count();

  /** Total bytes of stored objects. */
  long totalBytes();
}
