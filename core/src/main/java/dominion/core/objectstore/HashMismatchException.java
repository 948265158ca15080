package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.io.IOException;

/** Bytes offered as an object do not hash to the name claimed for them. */
public final class HashMismatchException extends IOException {
  private final Hash expected;
  private final Hash actual;

  public HashMismatchException(Hash expected, Hash actual) {
    super("hash mismatch for object " + expected.hex() + ": the bytes hash to " + actual.hex());
    this.expected = expected;
    this.actual = actual;
  }

  public Hash expected() {
    return expected;
  }

  public Hash actual() {
    return actual;
  }
}
