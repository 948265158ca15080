package dominion.mdb.mdbd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.mdb.MdbCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  // The whole fetch, body included, within the timeout: the JDK client's own request timeout
  // stops at the headers, and a source that stalls must not stall every later cycle.
  private byte[] fetch(String url) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new IOException(
          "fetch " + url + ": no complete answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("fetch " + url + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException("fetch " + url + ": " + why(request.uri(), e.getCause()), e.getCause());
    }
    if (response.statusCode() != 200) {
      throw new IOException("fetch " + url + ": HTTP " + response.statusCode());
    }
    return response.body();
  }

  // The JDK reports a refused connection as a ConnectException without a message.
  private static String why(URI uri, Throwable cause) {
    if (cause instanceof ConnectException) {
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      String message = cause.getMessage();
      return "connect "
          + uri.getHost()
          + ":"
          + port
          + ": "
          + (message == null || message.contains("refused") ? "connection refused" : message);
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
