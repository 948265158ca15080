package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.io.IOException;
import java.io.InputStream;

/** Reads stored objects as streams. */
public interface ObjectGetter {
  /**
   * Opens the object named {@code hash}; the caller closes the stream.
   *
   * @throws MissingObjectException if it is not stored
   */
  InputStream get(Hash hash) throws IOException;

  /**
   * The object's length in bytes.
   *
   * @throws MissingObjectException if it is not stored
   */
  long size(Hash hash) throws IOException;
}
