package dominion.dominator.herd;

import dominion.proto.dominator.SubInfo;
import dominion.proto.subd.SubdStatus;
import java.util.List;

/**
 * What others may see of a sub: an immutable snapshot, replaced after every round.
 *
 * @param state the state as an enum, for counting and filtering
 * @param info the summary as the wire carries it
 * @param subdStatus the sub's status at the last successful poll; null if none
 * @param objectsToFetch objects still to fetch for the required image
 * @param pendingChanges paths the pending update changes; 0 when none is pending
 * @param pendingTriggers services the pending update restarts
 * @param safetyHeld an unsafe update is held
 */
public record SubView(
    SubState state,
    SubInfo info,
    SubdStatus subdStatus,
    int objectsToFetch,
    int pendingChanges,
    List<String> pendingTriggers,
    boolean safetyHeld) {}
