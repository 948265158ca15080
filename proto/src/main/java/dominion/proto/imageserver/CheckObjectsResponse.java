package dominion.proto.imageserver;

import java.util.List;

/**
 * @param missing the requested hashes (hex, in request order, without repeats) that the server does
 *     not have; every other requested object exists. Never null.
 */
public record CheckObjectsResponse(List<String> missing) {
  public CheckObjectsResponse {
    missing = missing == null ? List.of() : List.copyOf(missing);
  }
}
