package dominion.proto.subd;

/**
 * A directory an update creates (replacing a non-directory at the path) or whose metadata it sets.
 *
 * @param path absolute tree path
 * @param mode the full {@code st_mode} or just the permission bits (the type bits are implied)
 * @param uid owner
 * @param gid group
 */
public record DirectoryToMake(String path, int mode, int uid, int gid) {}
