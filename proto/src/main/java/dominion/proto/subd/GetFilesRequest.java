package dominion.proto.subd;

import java.util.List;

/**
 * Reads files from the sub's root. A download: for each path, in request order, an 8-byte
 * big-endian length then that many bytes. If a path is missing or not a regular file the sub
 * answers {@code NOT_FOUND} before sending a byte.
 *
 * @param paths absolute tree paths of regular files; null = empty
 */
public record GetFilesRequest(List<String> paths) {
  public GetFilesRequest {
    paths = paths == null ? List.of() : List.copyOf(paths);
  }
}
