package dominion.proto.imageserver;

/**
 * Changes when an image may be deleted automatically. {@code NOT_FOUND} if there is no such image.
 *
 * @param name the image's name; required
 * @param expiresAtMillis ms since the epoch, or 0 for never
 */
public record ChangeImageExpirationRequest(String name, long expiresAtMillis) {}
