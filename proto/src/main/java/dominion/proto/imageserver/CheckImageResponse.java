package dominion.proto.imageserver;

/**
 * @param exists true if an image of that name is stored
 * @param deleted true if the name belonged to an image that was deleted (the name stays taken)
 */
public record CheckImageResponse(boolean exists, boolean deleted) {}
