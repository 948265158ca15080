package dominion.proto.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.core.hash.Hash;
import dominion.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireRecordsTest {
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final String H1 = Hash.of("one".getBytes(StandardCharsets.UTF_8)).hex();
  private static final String H2 = Hash.of("two".getBytes(StandardCharsets.UTF_8)).hex();

  static Stream<Object> records() {
    return Stream.of(
        new AddImageRequest("web/prod/1"),
        new AddImageResponse("web/prod/1", 1_732_000_000_000L, 5240),
        new GetImageRequest("web/prod/1"),
        new ListImagesRequest(null),
        new ListImagesRequest("web"),
        new ListImagesResponse(List.of("a", "web/1")),
        new ListImagesResponse(List.of()),
        new CheckImageRequest("a"),
        new CheckImageResponse(false, true),
        new DeleteImageRequest("a"),
        new DeleteImageResponse("a"),
        new MakeDirectoryRequest("web/prod"),
        new MakeDirectoryResponse("web/prod"),
        new ListDirectoriesRequest(null),
        new ListDirectoriesResponse(List.of("web", "web/prod")),
        new FindLatestImageRequest("web"),
        new FindLatestImageResponse(null),
        new FindLatestImageResponse("web/2"),
        new ChangeImageExpirationRequest("a", 99L),
        new ChangeImageExpirationResponse("a", 0L),
        new AddObjectsResponse(
            List.of(
                new AddObjectsResponse.AddedObject(H1, 3, true),
                new AddObjectsResponse.AddedObject(H2, 3, false)),
            1,
            3),
        new GetObjectsRequest(List.of(H1, H2, H1)),
        new CheckObjectsRequest(List.of(H1, H2)),
        new CheckObjectsResponse(List.of(H2)));
  }

  @ParameterizedTest
  @MethodSource("records")
  void roundTrips(Object record) throws Exception {
    byte[] json = MAPPER.writeValueAsBytes(record);
    assertEquals(record, MAPPER.readValue(json, record.getClass()));
  }

  @ParameterizedTest
  @MethodSource("records")
  void ignoresUnknownFields(Object record) throws Exception {
    ObjectNode tree = MAPPER.valueToTree(record);
    tree.put("someFutureField", 42);
    tree.putObject("anotherOne").put("x", "y");
    assertEquals(record, MAPPER.treeToValue(tree, record.getClass()));
  }

  @ParameterizedTest
  @MethodSource("records")
  void readsFromEmptyObject(Object record) throws Exception {
    // Every component is optional on the wire; absent lists read as empty, not null.
    Object empty = MAPPER.readValue("{}", record.getClass());
    if (empty instanceof ListImagesResponse r) {
      assertEquals(List.of(), r.names());
    }
    if (empty instanceof CheckObjectsResponse r) {
      assertEquals(List.of(), r.missing());
    }
  }

  @org.junit.jupiter.api.Test
  void addImageRequestTravelsAsQueryParams() {
    AddImageRequest r = new AddImageRequest("web/prod/1");
    assertEquals(Map.of("name", "web/prod/1"), r.toParams());
    assertEquals(r, AddImageRequest.fromParams(r.toParams()));
  }
}
