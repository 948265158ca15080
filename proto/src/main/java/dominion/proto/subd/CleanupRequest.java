package dominion.proto.subd;

import java.util.List;

/**
 * Deletes objects from the sub's cache.
 *
 * @param hashes SHA-512s in hex; null = empty; hashes not in the cache are ignored
 */
public record CleanupRequest(List<String> hashes) {
  public CleanupRequest {
    hashes = hashes == null ? List.of() : List.copyOf(hashes);
  }
}
