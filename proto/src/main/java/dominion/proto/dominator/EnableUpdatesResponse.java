package dominion.proto.dominator;

/**
 * Updates are enabled.
 *
 * @param updates the switch as it now is
 */
public record EnableUpdatesResponse(UpdatesControl updates) {}
