package dominion.proto.imageserver;

/**
 * The image was stored.
 *
 * @param name the image's name as stored (a leading {@code /} dropped)
 * @param createdOnMillis the server's time of the add, ms since the epoch
 * @param entries the number of paths in the image's tree
 */
public record AddImageResponse(String name, long createdOnMillis, int entries) {}
