package dominion.mdb.mdbd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.mdb.MdbCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Reads one source (file or URL) into MDB file objects. Thread-safe. */
public final class SourceReader {
  private final HttpClient http;
  private final Duration timeout;
  private final MdbCodec codec;

  public SourceReader(HttpClient http, Duration timeout, MdbCodec codec) {
    this.http = http;
    this.timeout = timeout;
    this.codec = codec;
  }

  /**
   * The machines of {@code source}, as objects (each checked to be a valid machine).
   *
   * @throws IOException if it cannot be read, naming the source
   * @throws IllegalArgumentException if it does not parse, naming the source
   */
  public List<ObjectNode> read(SourceSpec source) throws IOException {
    byte[] bytes =
        source.isUrl() ? fetch(source.location()) : Files.readAllBytes(Path.of(source.location()));
    try {
      List<ObjectNode> nodes =
          switch (source.kind()) {
            case JSON -> codec.parseTree(bytes);
            case TEXT -> TextSource.parse(new String(bytes, StandardCharsets.UTF_8));
          };
      codec.machines(nodes);
      return nodes;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("source " + source + ": " + e.getMessage(), e);
    }
  }

  private byte[] fetch(String url) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("fetch " + url + ": interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("fetch " + url + ": HTTP " + response.statusCode());
    }
    return response.body();
  }
}
