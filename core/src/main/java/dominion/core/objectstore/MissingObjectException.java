package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.io.FileNotFoundException;

/** An object that was asked for is not stored. */
public final class MissingObjectException extends FileNotFoundException {
  private final Hash hash;

  public MissingObjectException(Hash hash) {
    super("missing object " + hash.hex());
    this.hash = hash;
  }

  public Hash hash() {
    return hash;
  }
}
