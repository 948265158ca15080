package dominion.proto.subd;

/**
 * Asks a sub for its status and, when it changed, its tree.
 *
 * @param haveGeneration the generation the caller already holds (0 = none); the tree is sent only
 *     when the sub's generation differs
 * @param shortOnly never send the tree, only the status
 */
public record PollRequest(long haveGeneration, boolean shortOnly) {}
