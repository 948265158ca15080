package dominion.mdb;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The MDB file format: a JSON array of machine objects (Dominator's). Unknown fields are kept, not
 * rejected; a missing Hostname, a hostname given twice, or anything but an array of objects is an
 * error naming the entry.
 */
public final class MdbCodec {
  private final ObjectMapper mapper = Json.mapper();
  private final ObjectWriter writer = mapper.writer().with(SerializationFeature.INDENT_OUTPUT);

  /**
   * Parses an MDB file's content.
   *
   * @throws IllegalArgumentException naming what is wrong and where (line and column, or entry
   *     index)
   */
  public Mdb parse(byte[] json) {
    return Mdb.of(machines(parseTree(json)));
  }

  /** Parses the JSON array into one object node per machine, checking only the shape. */
  public List<ObjectNode> parseTree(byte[] json) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "bad MDB JSON" + where(e) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad MDB JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("bad MDB JSON: empty, want an array of machines");
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(
          "bad MDB JSON: top level is "
              + root.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", want an array of machines");
    }
    List<ObjectNode> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      if (!(root.get(i) instanceof ObjectNode object)) {
        throw new IllegalArgumentException("bad MDB JSON: entry " + i + " is not an object");
      }
      out.add(object);
    }
    return out;
  }

  /**
   * Turns object nodes into machines.
   *
   * @throws IllegalArgumentException naming the entry (and hostname, when known) that is wrong
   */
  public List<Machine> machines(List<ObjectNode> nodes) {
    List<Machine> machines = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      machines.add(machine(i, nodes.get(i)));
    }
    return machines;
  }

  private Machine machine(int index, ObjectNode node) {
    try {
      Machine m = mapper.treeToValue(node, Machine.class);
      if (m == null) {
        throw new IllegalArgumentException("null");
      }
      return m;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "bad MDB JSON: entry " + index + name(node) + ": " + cause(e), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad MDB JSON: entry " + index + name(node) + ": " + e.getMessage(), e);
    }
  }

  /** The file form of a machine, as a JSON object. */
  public ObjectNode toNode(Machine machine) {
    return mapper.valueToTree(machine);
  }

  /** The file's content: an indented JSON array in UTF-8, ending in a newline. */
  public byte[] encode(Mdb mdb) {
    try {
      byte[] body = writer.writeValueAsBytes(mdb.machines());
      byte[] out = new byte[body.length + 1];
      System.arraycopy(body, 0, out, 0, body.length);
      out[body.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("encode MDB: " + e.getMessage(), e);
    }
  }

  private static String name(ObjectNode node) {
    JsonNode host = node.get("Hostname");
    return host != null && host.isTextual() ? " (\"" + host.asText() + "\")" : "";
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at != null && at.getLineNr() > 0
        ? " at line " + at.getLineNr() + " column " + at.getColumnNr()
        : "";
  }

  // Our constructor's checks arrive wrapped; their message is the one worth showing.
  private static String cause(JsonProcessingException e) {
    Throwable t = e.getCause();
    return t instanceof IllegalArgumentException bad ? bad.getMessage() : e.getOriginalMessage();
  }
}
