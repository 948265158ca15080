package dominion.proto.imageserver;

/**
 * Lists image directories.
 *
 * @param under null or empty for every directory; otherwise only those below this one
 */
public record ListDirectoriesRequest(String under) {}
