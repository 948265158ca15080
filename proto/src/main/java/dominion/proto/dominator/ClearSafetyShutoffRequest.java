package dominion.proto.dominator;

/**
 * Lets one sub take the update the safety check is holding (one that would delete more than half of
 * its files, or bring an image with fewer than half its inodes). The clearance holds for the sub's
 * current required image only. {@code NOT_FOUND} if there is no such machine, {@code
 * FAILED_PRECONDITION} if no update is held for it.
 *
 * @param hostname the machine's name
 */
public record ClearSafetyShutoffRequest(String hostname) {}
