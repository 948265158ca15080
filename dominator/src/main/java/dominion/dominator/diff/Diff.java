package dominion.dominator.diff;

import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.proto.subd.UpdateRequest;
import java.util.List;

/**
 * What a sub must do to match its image: the result of {@link Differ#compute}.
 *
 * @param objectsToFetch objects the sub has neither in its cache nor anywhere in its tree; they
 *     must be fetched from the imageserver before {@link #update} can be applied. Empty when
 *     nothing is missing.
 * @param bytesToFetch the total size of {@link #objectsToFetch}
 * @param update the update that makes the sub match the image (assuming the fetch is done); null
 *     when the sub already matches (it is compliant)
 * @param subFiles non-directory entries in the sub's managed tree
 * @param filesRemoved of those, how many the update removes (deleted, or under a directory the
 *     update deletes or replaces): the safety check compares the two
 * @param changedPaths how many paths the update touches
 * @param firedTriggers the triggers that match a path the update changes or a path below a
 *     directory it deletes, of the new image and of the image the sub was last updated to (subd
 *     stops the services of both), in run order
 * @param highImpact a fired trigger is HighImpact, or a fired trigger of the new image asks for a
 *     reboot: the update counts against the cap on high-impact updates in flight
 */
public record Diff(
    List<Hash> objectsToFetch,
    long bytesToFetch,
    UpdateRequest update,
    int subFiles,
    int filesRemoved,
    int changedPaths,
    List<Trigger> firedTriggers,
    boolean highImpact) {

  /** True when the sub already matches the image. */
  public boolean compliant() {
    return update == null;
  }
}
