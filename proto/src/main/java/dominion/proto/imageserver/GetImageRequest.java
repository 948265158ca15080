package dominion.proto.imageserver;

/**
 * Fetches an image. A download: the response body is the image in {@link
 * dominion.core.image.ImageCodec}'s encoding. {@code NOT_FOUND} if there is no such image (or it
 * was deleted).
 *
 * @param name the image's name; required
 */
public record GetImageRequest(String name) {}
