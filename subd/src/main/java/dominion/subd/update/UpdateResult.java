package dominion.subd.update;

import dominion.proto.subd.TriggerResult;
import java.util.List;

/**
 * How an update ended.
 *
 * @param error why it failed, or null on success
 * @param windowMillis from the first service stop to the last start (or, with no services, the time
 *     spent changing the tree)
 * @param triggerResults the service commands run, in order
 * @param endMillis when it ended
 */
public record UpdateResult(
    String error, long windowMillis, List<TriggerResult> triggerResults, long endMillis) {}
