package dominion.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Message(String name, Integer count, List<String> tags) {}

  private final ObjectMapper mapper = Json.mapper();

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    Message m =
        mapper.readValue(
            "{\"name\":\"a\",\"future\":{\"x\":[1,2]},\"count\":3,\"also\":null}", Message.class);
    assertEquals(new Message("a", 3, null), m);
  }

  @Test
  void nullsAreNotWritten() throws Exception {
    assertEquals("{\"name\":\"a\"}", mapper.writeValueAsString(new Message("a", null, null)));
  }

  @Test
  void recordsRoundTrip() throws Exception {
    Message m = new Message("a", 1, List.of("x", "y"));
    assertEquals(m, mapper.readValue(mapper.writeValueAsString(m), Message.class));
  }

  @Test
  void eachCallReturnsAFreshMapper() {
    assertEquals(false, Json.mapper() == Json.mapper());
  }
}
