package dominion.proto.imageserver;

import dominion.core.hash.Hash;
import java.util.Collection;
import java.util.List;

/**
 * Asks which objects the server lacks.
 *
 * @param hashes SHA-512s in hex; never null on the wire (null reads as empty)
 */
public record CheckObjectsRequest(List<String> hashes) {
  public CheckObjectsRequest {
    hashes = hashes == null ? List.of() : List.copyOf(hashes);
  }

  public static CheckObjectsRequest of(Collection<Hash> hashes) {
    return new CheckObjectsRequest(hashes.stream().map(Hash::hex).toList());
  }
}
