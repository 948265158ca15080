package dominion.proto.subd;

/** The objects are gone from the cache. */
public record CleanupResponse() {}
