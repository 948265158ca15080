package dominion.proto.dominator;

/**
 * The hold is cleared; the update goes ahead at the sub's next cycle.
 *
 * @param image the required image the clearance is for
 */
public record ClearSafetyShutoffResponse(String image) {}
