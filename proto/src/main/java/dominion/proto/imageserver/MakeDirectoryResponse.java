package dominion.proto.imageserver;

/**
 * @param name the directory's name as stored (a leading {@code /} dropped)
 */
public record MakeDirectoryResponse(String name) {}
