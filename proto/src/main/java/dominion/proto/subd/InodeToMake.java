package dominion.proto.subd;

/**
 * An inode an update puts at a path, replacing whatever is there (a directory with its subtree,
 * too). A regular file's content is the cache object {@code inode.hash}; symlinks, devices and
 * FIFOs are made from the spec alone.
 *
 * @param path absolute tree path
 * @param inode what to make; never null
 */
public record InodeToMake(String path, InodeSpec inode) {}
