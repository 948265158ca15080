package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;

/**
 * The scanner's hash cache, as an update sees it: what it holds for a file, and what an update
 * tells it of the files it wrote or changed, so the pass after the update need not read them.
 */
public interface HashHints {
  /** No cache: nothing known, nothing kept. */
  HashHints NONE =
      new HashHints() {
        @Override
        public void known(Posix.Stat stat, Hash hash) {}

        @Override
        public Hash peek(Posix.Stat stat) {
          return null;
        }
      };

  /** Records that the file in the state {@code stat} describes holds {@code hash}. */
  void known(Posix.Stat stat, Hash hash);

  /** The hash held for the file in the state {@code stat} describes, or null. */
  Hash peek(Posix.Stat stat);
}
