package dominion.dominator.herd;

import dominion.core.hash.Hash;
import java.util.List;

/**
 * The pre-fetch of a sub's planned image: which objects it lacks, computed from the tree of one
 * generation, and how far the fetch got.
 */
record Planned(
    long generation, String image, List<Hash> objects, long bytes, Stage stage, String error) {
  enum Stage {
    NOT_READY("not-ready"),
    PENDING("pending"),
    FETCHING("fetching"),
    FETCHED("fetched"),
    FAILED("failed");

    final String label;

    Stage(String label) {
      this.label = label;
    }
  }

  /** This pre-fetch at {@code next}; once it has ended, its object list is dropped. */
  Planned at(Stage next, String why) {
    boolean ended = next == Stage.FETCHED || next == Stage.FAILED;
    return new Planned(generation, image, ended ? List.of() : objects, bytes, next, why);
  }
}
