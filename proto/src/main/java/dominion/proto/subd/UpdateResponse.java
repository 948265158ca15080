package dominion.proto.subd;

/** The update was accepted and runs in the background. */
public record UpdateResponse() {}
