package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;

/** Tells the scanner the hash of a file an update just wrote, so it need not read it again. */
@FunctionalInterface
public interface HashHints {
  HashHints NONE = (stat, hash) -> {};

  void known(Posix.Stat stat, Hash hash);
}
