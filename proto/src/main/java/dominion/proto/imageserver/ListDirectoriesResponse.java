package dominion.proto.imageserver;

import java.util.List;

/**
 * @param directories the directories' names in string order; never null
 */
public record ListDirectoriesResponse(List<String> directories) {
  public ListDirectoriesResponse {
    directories = directories == null ? List.of() : List.copyOf(directories);
  }
}
