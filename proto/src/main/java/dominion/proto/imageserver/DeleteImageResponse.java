package dominion.proto.imageserver;

/**
 * @param name the deleted image's name as it was stored
 */
public record DeleteImageResponse(String name) {}
