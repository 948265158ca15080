package dominion.core.fs;

import java.util.Objects;

/**
 * A name in a tree. Entries with the same {@code inum} are hard links to one inode and share the
 * same {@link Inode} instance.
 */
public record Entry(String path, long inum, Inode inode) {
  public Entry {
    TreePaths.check(path);
    Objects.requireNonNull(inode, "inode");
  }
}
