package dominion.proto.subd;

/**
 * Changes an existing path's permissions, owner, mtime and capability (never its type or content).
 *
 * @param path absolute tree path
 * @param inode the wanted inode; its type must match what is at the path, and for regular files
 *     {@code size}/{@code hash} are ignored
 */
public record MetadataChange(String path, InodeSpec inode) {}
