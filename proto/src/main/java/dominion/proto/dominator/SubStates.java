package dominion.proto.dominator;

import java.util.List;

/** The names of the states a sub can be in, as {@link SubInfo#state()} carries them. */
public final class SubStates {
  private SubStates() {}

  /** Every state, in the order status pages list them. */
  public static final List<String> ALL =
      List.of(
          "connecting",
          "unreachable",
          "poll-failed",
          "waiting-for-scan",
          "no-required-image",
          "image-not-ready",
          "updates-disabled",
          "unsafe-update",
          "insufficient-space",
          "fetching",
          "fetch-failed",
          "update-queued",
          "updating",
          "update-failed",
          "waiting-for-fresh-scan",
          "synced");
}
