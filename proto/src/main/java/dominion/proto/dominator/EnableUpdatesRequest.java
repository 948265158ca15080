package dominion.proto.dominator;

/**
 * Lets changes flow again after {@code Dominator.DisableUpdates}.
 *
 * @param reason why, for the status page and logs; required
 */
public record EnableUpdatesRequest(String reason) {}
