package dominion.core.objectstore;

import dominion.core.hash.Hash;
import java.io.IOException;

/** Answers whether objects are present. */
public interface ObjectChecker {
  /** True if the object named {@code hash} is stored. */
  boolean has(Hash hash) throws IOException;
}
