package dominion.proto.subd;

/**
 * Makes {@code path} a hard link to {@code target}, replacing what is at {@code path}.
 *
 * @param path absolute tree path of the new name
 * @param target absolute tree path of an existing regular file (or other non-directory)
 */
public record HardLink(String path, String target) {}
