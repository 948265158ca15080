package dominion.proto.subd;

/** Asks for the sub's {@link SubdConfig}. */
public record GetConfigurationRequest() {}
