package dominion.core.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.fs.TreeCodec;
import dominion.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * An image as bytes, on disk and on the wire:
 *
 * <pre>
 * "DIMG1"
 * int32 header length, header JSON: {"sparse", "filter": [lines], "triggers": [...],
 *   "createdBy", "createdOnMillis", "expiresAtMillis", "buildLog", "tags"}
 * the tree, in {@link TreeCodec}'s encoding
 * </pre>
 */
public final class ImageCodec {
  private static final byte[] MAGIC = {'D', 'I', 'M', 'G', '1'};
  private static final int MAX_HEADER = 64 << 20;
  private static final ObjectMapper MAPPER = Json.mapper();

  private ImageCodec() {}

  /** The JSON header. {@code filter} is null for a sparse image. */
  record Header(
      boolean sparse,
      List<String> filter,
      List<Trigger> triggers,
      String createdBy,
      long createdOnMillis,
      long expiresAtMillis,
      String buildLog,
      Map<String, String> tags) {}

  public static void write(Image image, OutputStream out) throws IOException {
    ImageMetadata m = image.metadata();
    Header header =
        new Header(
            image.sparse(),
            image.sparse() ? null : image.filter().lines(),
            image.triggers().list(),
            m.createdBy(),
            m.createdOnMillis(),
            m.expiresAtMillis(),
            m.buildLog(),
            m.tags());
    byte[] json = MAPPER.writeValueAsBytes(header);
    DataOutputStream data = new DataOutputStream(out);
    data.write(MAGIC);
    data.writeInt(json.length);
    data.write(json);
    TreeCodec.write(image.tree(), data);
    data.flush();
  }

  public static byte[] encode(Image image) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(image.tree().size() * 64 + 256);
    try {
      write(image, buffer);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads an image.
   *
   * @throws IOException naming what is wrong, for truncated or corrupt input
   */
  public static Image read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    try {
      byte[] magic = new byte[MAGIC.length];
      data.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("bad image encoding: wrong magic number");
      }
      int length = data.readInt();
      if (length < 0 || length > MAX_HEADER) {
        throw new IOException("bad image encoding: header length " + length);
      }
      byte[] json = new byte[length];
      data.readFully(json);
      Header h = MAPPER.readValue(json, Header.class);
      Filter filter = h.sparse() ? null : Filter.parse(h.filter() == null ? List.of() : h.filter());
      Triggers triggers = h.triggers() == null ? Triggers.NONE : Triggers.of(h.triggers());
      ImageMetadata meta =
          new ImageMetadata(
              h.createdBy(), h.createdOnMillis(), h.expiresAtMillis(), h.buildLog(), h.tags());
      return new Image(TreeCodec.read(data), filter, triggers, meta);
    } catch (EOFException e) {
      throw new IOException("bad image encoding: truncated", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad image encoding: " + e.getMessage(), e);
    }
  }

  public static Image decode(byte[] bytes) throws IOException {
    return read(new java.io.ByteArrayInputStream(bytes));
  }
}
