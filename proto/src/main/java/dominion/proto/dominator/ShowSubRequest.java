package dominion.proto.dominator;

/**
 * Shows one sub in detail; {@code NOT_FOUND} if the MDB has no such machine.
 *
 * @param hostname the machine's name
 */
public record ShowSubRequest(String hostname) {}
