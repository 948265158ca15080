package dominion.proto.subd;

/**
 * The JSON head of a {@code Subd.Poll} response (see {@link PollFraming} for the whole layout).
 *
 * @param generation the generation of the sub's current scan (0 until its first scan ends)
 * @param hasTree true when the tree and the cache list follow: only when {@code generation} differs
 *     from the request's {@code haveGeneration}, the request is not {@code shortOnly}, and a scan
 *     has finished
 * @param status the sub's status; never null
 */
public record PollResponse(long generation, boolean hasTree, SubdStatus status) {}
