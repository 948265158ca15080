package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.io.IOException;
import java.io.InputStream;

/** Stores objects, computing (and checking) each one's hash as it is written. */
public interface ObjectAdder {
  /**
   * Reads {@code data} to its end and stores it under its SHA-512. Adding an object that is already
   * stored is a no-op apart from reading the stream.
   *
   * @param expected the hash the caller claims for the bytes, or null to accept any
   * @throws HashMismatchException if {@code expected} is given and the bytes hash otherwise;
   *     nothing is stored then
   */
  AddResult add(InputStream data, Hash expected) throws IOException;

  /** What {@link #add} stored. {@code added} is false when the object was already there. */
  record AddResult(Hash hash, long size, boolean added) {}
}
