package dominion.proto.imageserver;

/**
 * @param name the image's name
 * @param expiresAtMillis the expiry now in force, ms since the epoch, or 0 for never
 */
public record ChangeImageExpirationResponse(String name, long expiresAtMillis) {}
