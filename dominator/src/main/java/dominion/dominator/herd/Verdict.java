package dominion.dominator.herd;

import dominion.dominator.diff.Diff;

/**
 * What the herd concluded about a sub's tree of one generation against one image, kept instead of
 * the tree itself: a compliant sub costs a few fields, not its whole tree.
 *
 * @param generation the sub's scan generation the tree was from
 * @param image the required image compared against
 * @param diff what to fetch and change (its update is null when compliant)
 * @param unsafe the update fails the safety check
 * @param fetched the objects of {@code diff} were fetched since
 */
record Verdict(long generation, String image, Diff diff, boolean unsafe, boolean fetched) {
  boolean compliant() {
    return diff.compliant();
  }

  boolean validFor(long currentGeneration, String requiredImage) {
    return generation == currentGeneration && image.equals(requiredImage);
  }

  boolean needsFetch() {
    return !fetched && !diff.objectsToFetch().isEmpty();
  }

  Verdict withFetched() {
    return new Verdict(generation, image, diff, unsafe, true);
  }
}
