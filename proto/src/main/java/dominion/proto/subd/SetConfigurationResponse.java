package dominion.proto.subd;

/** The configuration is in force. */
public record SetConfigurationResponse() {}
