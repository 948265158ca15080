package dominion.proto.dominator;

/**
 * Updates are disabled.
 *
 * @param updates the switch as it now is
 */
public record DisableUpdatesResponse(UpdatesControl updates) {}
