package dominion.proto.subd;

/** The fetch was accepted and runs in the background. */
public record FetchResponse() {}
