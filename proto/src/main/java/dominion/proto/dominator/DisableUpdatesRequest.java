package dominion.proto.dominator;

/**
 * Holds every change to every sub until {@code Dominator.EnableUpdates}; polling goes on.
 *
 * @param reason why, for the status page and logs; required
 */
public record DisableUpdatesRequest(String reason) {}
