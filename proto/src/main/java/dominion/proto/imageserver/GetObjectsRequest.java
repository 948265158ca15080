package dominion.proto.imageserver;

import dominion.core.hash.Hash;
import java.util.Collection;
import java.util.List;

/**
 * Fetches objects. A download: for each hash, in request order, the response carries the object's
 * length and bytes (see {@link ObjectFraming}). If any object is missing the server answers {@code
 * NOT_FOUND} naming the missing hashes before sending a byte.
 *
 * @param hashes SHA-512s in hex; repeats are allowed (the object is sent again)
 */
public record GetObjectsRequest(List<String> hashes) {
  public GetObjectsRequest {
    hashes = hashes == null ? List.of() : List.copyOf(hashes);
  }

  public static GetObjectsRequest of(Collection<Hash> hashes) {
    return new GetObjectsRequest(hashes.stream().map(Hash::hex).toList());
  }
}
