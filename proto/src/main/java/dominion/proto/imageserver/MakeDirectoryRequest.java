package dominion.proto.imageserver;

/**
 * Makes an image directory. Its parent must exist ({@code FAILED_PRECONDITION}); the name must not
 * be taken by an image, a directory or a deleted image ({@code ALREADY_EXISTS}).
 *
 * @param name the directory's name, e.g. {@code web/prod}; required
 */
public record MakeDirectoryRequest(String name) {}
