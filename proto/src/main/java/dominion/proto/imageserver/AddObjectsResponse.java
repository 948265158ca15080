package dominion.proto.imageserver;

import java.util.List;

/**
 * What {@code ObjectServer.AddObjects} stored. The request is a byte stream, not a record: see
 * {@link ObjectFraming}. The server hashes every object it receives and refuses (with {@code
 * INVALID_ARGUMENT}, naming it) one whose bytes do not match the hash given for them; objects
 * before it in the stream stay stored, and it and those after it are not stored.
 *
 * @param objects one element per object in the stream, in stream order; never null
 * @param addedCount how many objects were new to the store
 * @param addedBytes the total size of the new objects
 */
public record AddObjectsResponse(List<AddedObject> objects, long addedCount, long addedBytes) {
  public AddObjectsResponse {
    objects = objects == null ? List.of() : List.copyOf(objects);
  }

  /**
   * @param hash the object's SHA-512 in hex
   * @param size its length in bytes
   * @param added true if it was new; false if the store already had it
   */
  public record AddedObject(String hash, long size, boolean added) {}
}
