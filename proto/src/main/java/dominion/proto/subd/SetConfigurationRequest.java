package dominion.proto.subd;

/**
 * Changes the sub's limits; zero percentages and null exclusions leave those settings unchanged.
 *
 * @param config the wanted settings; never null
 */
public record SetConfigurationRequest(SubdConfig config) {}
