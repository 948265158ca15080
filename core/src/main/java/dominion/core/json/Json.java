package dominion.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place Dominion configures Jackson, so every file format and wire record is read and
 * written the same way.
 */
public final class Json {
  private Json() {}

  /**
   * Returns a new mapper that ignores unknown properties when reading (so old readers accept new
   * fields), leaves out null properties when writing (so optional fields cost nothing on the wire),
   * and maps Java records by their canonical constructors. Mappers are thread-safe once built;
   * callers keep one per component instead of building one per call.
   */
  public static ObjectMapper mapper() {
    // Buffers are pooled across threads: Jackson's default pool keeps them per thread (about
    // 20 kB each), and daemons run thousands of long-lived virtual threads (a dominator one per
    // sub), each of which would keep its own for good.
    JsonFactory factory =
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    return JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .defaultPropertyInclusion(
            JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
        .build();
  }
}
