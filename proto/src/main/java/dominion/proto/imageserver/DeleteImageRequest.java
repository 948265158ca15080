package dominion.proto.imageserver;

/**
 * Deletes an image, leaving a tombstone so that its name can never be used again. {@code NOT_FOUND}
 * if there is no such image.
 *
 * @param name the image's name; required
 */
public record DeleteImageRequest(String name) {}
