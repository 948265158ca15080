package dominion.proto.imageserver;

import java.util.List;

/**
 * @param names the images' names in string order; never null (empty when there are none)
 */
public record ListImagesResponse(List<String> names) {
  public ListImagesResponse {
    names = names == null ? List.of() : List.copyOf(names);
  }
}
