package dominion.proto.imageserver;

/**
 * @param name the newest image's name, or null when the directory holds no image
 */
public record FindLatestImageResponse(String name) {}
