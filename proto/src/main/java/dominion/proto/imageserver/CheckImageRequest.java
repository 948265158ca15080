package dominion.proto.imageserver;

/**
 * Asks whether an image exists.
 *
 * @param name the image's name; required
 */
public record CheckImageRequest(String name) {}
