package dominion.proto.subd;

import dominion.core.image.Trigger;
import java.util.List;

/**
 * The JSON head of a {@code Subd.Poll} response (see {@link PollFraming} for the whole layout).
 *
 * @param generation the generation of the sub's current scan (0 until its first scan ends)
 * @param hasTree true when the tree and the cache list follow: only when {@code generation} differs
 *     from the request's {@code haveGeneration}, the request is not {@code shortOnly}, and a scan
 *     has finished
 * @param status the sub's status; never null
 * @param lastTriggers the triggers of the last image the sub was updated to, which its next update
 *     matches with the new image's to choose the services it stops: sent with the tree (empty if no
 *     image was applied), null when no tree is sent or the sub does not say
 */
public record PollResponse(
    long generation, boolean hasTree, SubdStatus status, List<Trigger> lastTriggers) {

  /** A response that does not carry the last image's triggers. */
  public PollResponse(long generation, boolean hasTree, SubdStatus status) {
    this(generation, hasTree, status, null);
  }
}
