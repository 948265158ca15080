package dominion.proto.subd;

import java.util.List;

/**
 * Tells a sub to pull objects into its cache, in the background; progress and errors show in polls
 * ({@link SubdStatus#fetchInProgress()}, {@link SubdStatus#lastFetchError()}).
 *
 * @param serverAddress {@code host:port} of the imageserver (its ObjectServer) to pull from
 * @param hashes SHA-512s in hex; null = empty (nothing to fetch)
 * @param speedPercent share of the network bandwidth to use: 0 = the sub's configured default, 100
 *     = unlimited
 */
public record FetchRequest(String serverAddress, List<String> hashes, int speedPercent) {
  public FetchRequest {
    hashes = hashes == null ? List.of() : List.copyOf(hashes);
  }
}
