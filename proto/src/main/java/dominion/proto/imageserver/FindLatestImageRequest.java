package dominion.proto.imageserver;

/**
 * Finds the newest image directly inside a directory (not in its subdirectories): the one with the
 * latest {@code createdOnMillis}, ties going to the greatest name in string order. {@code
 * NOT_FOUND} if the directory does not exist.
 *
 * @param directory the directory's name; null or empty for the top level
 */
public record FindLatestImageRequest(String directory) {}
