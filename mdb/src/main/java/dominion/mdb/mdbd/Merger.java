package dominion.mdb.mdbd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges MDB sources: a machine is the union of its objects in every source, and where two sources
 * give the same field the later one wins (so a text list of images can override the images of an
 * inventory that also gives addresses and tags).
 */
final class Merger {
  private Merger() {}

  /**
   * @param sources each source's machine objects, in the order of the sources file
   * @throws IllegalArgumentException if a merged machine is invalid
   */
  static Mdb merge(List<List<ObjectNode>> sources, MdbCodec codec) {
    Map<String, ObjectNode> byHost = new LinkedHashMap<>();
    for (List<ObjectNode> source : sources) {
      for (ObjectNode node : source) {
        String host = node.path("Hostname").asText();
        ObjectNode merged = byHost.computeIfAbsent(host, h -> node.objectNode());
        merged.setAll(node.deepCopy());
      }
    }
    return Mdb.of(codec.machines(new ArrayList<>(byHost.values())));
  }
}
