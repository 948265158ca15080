package dominion.proto.dominator;

/**
 * Lists the subs.
 *
 * @param status only subs in this state (one of {@link SubStates#ALL}); null or empty = all
 */
public record ListSubsRequest(String status) {}
