package dominion.proto.dominator;

import dominion.proto.subd.SubdStatus;
import java.util.List;

/**
 * One sub in detail.
 *
 * @param sub the summary; never null
 * @param subdStatus what the sub reported at its last successful poll; null if it never answered
 * @param objectsToFetch objects it still has to fetch for its required image
 * @param pendingChanges paths the pending update changes; 0 when none is pending
 * @param pendingTriggers services the pending update would restart; empty when none
 * @param safetyHeld true if an unsafe update is held for this sub
 * @param events the sub's recent state changes, oldest first, each {@code "<ISO time> <state>:
 *     <detail>"}; never null
 */
public record ShowSubResponse(
    SubInfo sub,
    SubdStatus subdStatus,
    int objectsToFetch,
    int pendingChanges,
    List<String> pendingTriggers,
    boolean safetyHeld,
    List<String> events) {
  public ShowSubResponse {
    pendingTriggers = pendingTriggers == null ? List.of() : List.copyOf(pendingTriggers);
    events = events == null ? List.of() : List.copyOf(events);
  }
}
