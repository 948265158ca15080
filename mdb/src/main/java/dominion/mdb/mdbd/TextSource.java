package dominion.mdb.mdbd;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.core.image.ImageName;
import java.util.ArrayList;
import java.util.List;

/** Parses a text MDB source: lines {@code host [required [planned]]}, {@code #} comments. */
final class TextSource {
  private TextSource() {}

  /**
   * The machines of a text source as MDB file objects.
   *
   * @throws IllegalArgumentException naming the line of a malformed entry
   */
  static List<ObjectNode> parse(String text) {
    List<ObjectNode> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length > 3) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": want host [required [planned]], got " + parts.length + " words");
      }
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("Hostname", parts[0]);
      try {
        if (parts.length > 1) {
          node.put("RequiredImage", ImageName.clean(parts[1]));
        }
        if (parts.length > 2) {
          node.put("PlannedImage", ImageName.clean(parts[2]));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
      out.add(node);
    }
    return out;
  }
}
