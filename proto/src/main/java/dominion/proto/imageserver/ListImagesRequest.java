package dominion.proto.imageserver;

/**
 * Lists images (never deleted ones).
 *
 * @param directory null or empty for every image; otherwise only the images below this directory,
 *     at any depth
 */
public record ListImagesRequest(String directory) {}
