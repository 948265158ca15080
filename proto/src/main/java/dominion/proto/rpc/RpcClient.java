package dominion.proto.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Calls the RPCs of one daemon. Thread-safe; cheap to make, since the {@link HttpClient} (its
 * connection pool and TLS context) is shared: see {@link RpcClients}. Every failure is an {@link
 * RpcException}: the server's code and message, or {@link ErrorCode#UNAVAILABLE} when it cannot be
 * reached.
 */
public final class RpcClient {
  private final HttpClient http;
  private final String base;
  private final String target;
  private final Duration timeout;
  // One mapper for every client: each mapper carries its own caches and buffer pools (tens of
  // kB), and a dominator holds a client per sub. A mapper is thread-safe and never reconfigured.
  private static final ObjectMapper MAPPER = Json.mapper();
  private final ObjectMapper mapper = MAPPER;

  /**
   * @param http the shared client, from {@link RpcClients}
   * @param host the host name or address to dial (an IPv6 literal without brackets is fine)
   * @param port the daemon's port
   * @param timeout the limit on a unary call; streaming calls are limited only while waiting for
   *     the response to start
   */
  public RpcClient(HttpClient http, boolean tls, String host, int port, Duration timeout) {
    this.http = http;
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    this.target = h + ":" + port;
    this.base = (tls ? "https://" : "http://") + target + "/rpc/";
    this.timeout = timeout;
  }

  /** {@code host:port}, for messages. */
  public String target() {
    return target;
  }

  /** Calls a unary method. */
  public <R> R call(String method, Object request, Class<R> responseType) {
    HttpRequest httpRequest = post(method, Map.of(), jsonBody(request)).timeout(timeout).build();
    HttpResponse<byte[]> response =
        send(method, httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return mapper.readValue(response.body(), responseType);
    } catch (IOException e) {
      throw new RpcException(
          ErrorCode.INTERNAL,
          "bad response from " + target + " to " + method + ": " + e.getMessage(),
          e);
    }
  }

  /** Calls a download method; the caller reads and closes the returned stream. */
  public InputStream download(String method, Object request) {
    HttpRequest httpRequest = post(method, Map.of(), jsonBody(request)).build();
    return send(method, httpRequest, HttpResponse.BodyHandlers.ofInputStream()).body();
  }

  /**
   * Calls an upload method, streaming {@code body} (opened by the supplier, read on another thread)
   * as the request.
   */
  public <R> R upload(
      String method,
      Map<String, String> params,
      Supplier<InputStream> body,
      Class<R> responseType) {
    HttpRequest httpRequest =
        post(method, params, HttpRequest.BodyPublishers.ofInputStream(body)).build();
    HttpResponse<byte[]> response =
        send(method, httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return mapper.readValue(response.body(), responseType);
    } catch (IOException e) {
      throw new RpcException(
          ErrorCode.INTERNAL,
          "bad response from " + target + " to " + method + ": " + e.getMessage(),
          e);
    }
  }

  private HttpRequest.BodyPublisher jsonBody(Object request) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(request));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode request: " + e.getMessage(), e);
    }
  }

  private HttpRequest.Builder post(
      String method, Map<String, String> params, HttpRequest.BodyPublisher body) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach(
        (k, v) ->
            query.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return HttpRequest.newBuilder(URI.create(base + method + query))
        .header("Content-Type", "application/json")
        .POST(body);
  }

  private <T> HttpResponse<T> send(
      String method, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    HttpResponse<T> response;
    try {
      response = http.send(request, handler);
    } catch (HttpTimeoutException e) {
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          method + " to " + target + " timed out after " + timeout.toSeconds() + " s",
          e);
    } catch (ConnectException e) {
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          "cannot connect to "
              + target
              + " for "
              + method
              + ": "
              + FailureText.innermost(e)
              + "; is the daemon running there?",
          e);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(ErrorCode.UNAVAILABLE, method + " to " + target + " interrupted", e);
    } catch (IOException e) {
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          method + " to " + target + " failed: " + FailureText.describe(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(ErrorCode.UNAVAILABLE, method + " to " + target + " interrupted", e);
    }
    if (response.statusCode() == 200) {
      return response;
    }
    throw errorOf(method, response);
  }

  private RpcException errorOf(String method, HttpResponse<?> response) {
    byte[] bytes;
    try {
      Object body = response.body();
      bytes = body instanceof InputStream in ? in.readNBytes(1 << 20) : (byte[]) body;
      if (body instanceof InputStream in) {
        in.close();
      }
    } catch (IOException e) {
      bytes = new byte[0];
    }
    ErrorCode fallback = ErrorCode.ofHttpStatus(response.statusCode());
    try {
      ErrorBody error = mapper.readValue(bytes, ErrorBody.class);
      ErrorCode code = error.code() == null ? fallback : ErrorCode.valueOf(error.code());
      return new RpcException(code, error.message());
    } catch (IOException | IllegalArgumentException e) {
      return new RpcException(
          fallback, method + " to " + target + " failed with HTTP " + response.statusCode());
    }
  }
}
