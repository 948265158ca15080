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
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls the RPCs of one daemon. Thread-safe; cheap to make, since the {@link HttpClient} (its
 * connection pool and TLS context) is shared: see {@link RpcClients}. Every failure is an {@link
 * RpcException}: the server's code and message, or {@link ErrorCode#UNAVAILABLE} when it cannot be
 * reached or does not answer in time.
 *
 * <p>Every call has a deadline ({@link Limits}; the {@code deadline} argument of a call overrides
 * it): a unary call must be answered in full by then, and a download must have been read to its end
 * by then. A download also gives up when the server sends nothing for the idle limit, while its
 * answer is awaited or between bytes of it. A call out of time is cancelled (its connection closed,
 * never reused) and fails with {@code UNAVAILABLE} naming the server, the method and the limit.
 */
public final class RpcClient {
  /**
   * Time limits on calls.
   *
   * @param unary the longest a unary call may take, from sending the request to the last byte of
   *     the answer
   * @param streamed the longest a download or an upload may take in all; null for no limit (a fetch
   *     at a throttled rate may rightly take hours; the idle limit still catches a stalled server)
   * @param idle the longest a download waits for its answer to start, or for the next bytes of it
   */
  public record Limits(Duration unary, Duration streamed, Duration idle) {
    /** The idle limit when none is given. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

    public Limits {
      Objects.requireNonNull(unary, "unary");
      Objects.requireNonNull(idle, "idle");
      if (!unary.isPositive()
          || !idle.isPositive()
          || (streamed != null && !streamed.isPositive())) {
        throw new IllegalArgumentException("time limits must be positive");
      }
    }

    /** {@code unary} for unary calls, no overall limit on streamed ones, the default idle limit. */
    public static Limits of(Duration unary) {
      return new Limits(unary, null, DEFAULT_IDLE);
    }
  }

  private final HttpClient http;
  private final String base;
  private final String target;
  private final Limits limits;
  // One mapper for every client: each mapper carries its own caches and buffer pools (tens of
  // kB), and a dominator holds a client per sub. A mapper is thread-safe and never reconfigured.
  private static final ObjectMapper MAPPER = Json.mapper();
  private final ObjectMapper mapper = MAPPER;

  /**
   * A client with {@link Limits#of}{@code (timeout)}.
   *
   * @param http the shared client, from {@link RpcClients}
   * @param host the host name or address to dial (an IPv6 literal without brackets is fine)
   * @param port the daemon's port
   * @param timeout the limit on a whole unary call
   */
  public RpcClient(HttpClient http, boolean tls, String host, int port, Duration timeout) {
    this(http, tls, host, port, Limits.of(timeout));
  }

  /**
   * @param http the shared client, from {@link RpcClients}
   * @param host the host name or address to dial (an IPv6 literal without brackets is fine)
   * @param port the daemon's port
   * @param limits the time limits of calls that name none
   */
  public RpcClient(HttpClient http, boolean tls, String host, int port, Limits limits) {
    this.http = http;
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    this.target = h + ":" + port;
    this.base = (tls ? "https://" : "http://") + target + "/rpc/";
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** {@code host:port}, for messages. */
  public String target() {
    return target;
  }

  public Limits limits() {
    return limits;
  }

  /** Calls a unary method, within {@link Limits#unary()}. */
  public <R> R call(String method, Object request, Class<R> responseType) {
    return call(method, request, responseType, limits.unary());
  }

  /** Calls a unary method, which must be answered in full within {@code deadline}. */
  public <R> R call(String method, Object request, Class<R> responseType, Duration deadline) {
    Deadline d = Deadline.after(deadline);
    HttpRequest httpRequest = post(method, Map.of(), jsonBody(request)).build();
    HttpResponse<byte[]> response =
        await(method, http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray()), d, d);
    return decode(method, checked(method, response, response.body()), responseType);
  }

  /**
   * Calls a download method, within {@link Limits#streamed()}; the caller reads and closes the
   * returned stream.
   */
  public InputStream download(String method, Object request) {
    return download(method, request, limits.streamed());
  }

  /**
   * Calls a download method; the caller reads and closes the returned stream. Its reads throw
   * {@link RpcTimeoutException} when the server stalls for the idle limit or {@code deadline}
   * passes.
   *
   * @param deadline the longest the whole download may take, to its last byte; null for no limit
   */
  public InputStream download(String method, Object request, Duration deadline) {
    Deadline d = Deadline.after(deadline);
    long idle = limits.idle().toNanos();
    HttpRequest httpRequest = post(method, Map.of(), jsonBody(request)).build();
    HttpResponse<InputStream> response =
        await(
            method,
            http.sendAsync(
                httpRequest,
                info ->
                    new TimedBody(
                        idle,
                        d.atNanos(),
                        deadlinePassed -> bodyTimeout(method, deadlinePassed, deadline))),
            d,
            Deadline.after(limits.idle()));
    return checked(method, response, response.body());
  }

  /**
   * Calls an upload method, streaming {@code body} (opened by the supplier, read on another thread)
   * as the request, within {@link Limits#streamed()}.
   */
  public <R> R upload(
      String method,
      Map<String, String> params,
      Supplier<InputStream> body,
      Class<R> responseType) {
    Deadline d = Deadline.after(limits.streamed());
    HttpRequest httpRequest =
        post(method, params, HttpRequest.BodyPublishers.ofInputStream(body)).build();
    HttpResponse<byte[]> response =
        await(method, http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray()), d, d);
    return decode(method, checked(method, response, response.body()), responseType);
  }

  private <R> R decode(String method, byte[] body, Class<R> responseType) {
    try {
      return mapper.readValue(body, responseType);
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

  /**
   * Waits for a response until the earlier of {@code deadline} and {@code start} (the limit on its
   * start), cancelling the exchange if it does not come.
   */
  private <T> HttpResponse<T> await(
      String method, CompletableFuture<HttpResponse<T>> future, Deadline deadline, Deadline start) {
    Deadline first = deadline.atNanos() <= start.atNanos() ? deadline : start;
    try {
      long wait = first.leftNanos();
      return wait == Long.MAX_VALUE ? future.get() : future.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          first == deadline
              ? method
                  + " to "
                  + target
                  + " failed: no answer within its deadline of "
                  + human(deadline)
              : method
                  + " to "
                  + target
                  + " failed: no answer within the idle limit of "
                  + human(limits.idle()),
          e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RpcException(ErrorCode.UNAVAILABLE, method + " to " + target + " interrupted", e);
    } catch (ExecutionException e) {
      throw failure(method, e.getCause() == null ? e : e.getCause());
    }
  }

  private RpcTimeoutException bodyTimeout(
      String method, boolean deadlinePassed, Duration deadline) {
    return new RpcTimeoutException(
        deadlinePassed
            ? method
                + " to "
                + target
                + " failed: not read to its end within its deadline of "
                + human(deadline)
            : method
                + " to "
                + target
                + " stalled: no bytes for the idle limit of "
                + human(limits.idle()));
  }

  private RpcException failure(String method, Throwable e) {
    if (e instanceof RpcException r) {
      return r;
    }
    if (e instanceof HttpConnectTimeoutException) {
      return new RpcException(
          ErrorCode.UNAVAILABLE,
          "connect "
              + target
              + ": timed out"
              + http.connectTimeout().map(t -> " after " + human(t)).orElse("")
              + " (calling "
              + method
              + "); is the host up and reachable?",
          e);
    }
    if (e instanceof ConnectException) {
      String why = FailureText.innermost(e);
      boolean refused =
          e.getMessage() == null
              || e.getMessage().contains("refused")
              || why.contains("refused")
              || why.equals("ClosedChannelException");
      return new RpcException(
          ErrorCode.UNAVAILABLE,
          "connect "
              + target
              + ": "
              + (refused ? "connection refused" : why)
              + " (calling "
              + method
              + "); is the daemon running there?",
          e);
    }
    if (e instanceof InterruptedIOException) {
      Thread.currentThread().interrupt();
      return new RpcException(ErrorCode.UNAVAILABLE, method + " to " + target + " interrupted", e);
    }
    if (e instanceof IOException) {
      return new RpcException(
          ErrorCode.UNAVAILABLE,
          method + " to " + target + " failed: " + FailureText.describe(e),
          e);
    }
    return new RpcException(ErrorCode.INTERNAL, method + " to " + target + " failed: " + e, e);
  }

  /** Returns {@code body} if the call succeeded, else throws the server's error. */
  private <T> T checked(String method, HttpResponse<?> response, T body) {
    if (response.statusCode() == 200) {
      return body;
    }
    throw errorOf(method, response);
  }

  private RpcException errorOf(String method, HttpResponse<?> response) {
    byte[] bytes;
    try {
      Object body = response.body();
      if (body instanceof InputStream in) {
        try (in) {
          bytes = in.readNBytes(1 << 20);
        }
      } else {
        bytes = (byte[]) body;
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

  private static String human(Deadline d) {
    return human(d.limit());
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /** A point in {@link System#nanoTime()} time, and the limit it was made from. */
  private record Deadline(long atNanos, Duration limit) {
    static Deadline after(Duration limit) {
      if (limit == null) {
        return new Deadline(Long.MAX_VALUE, null);
      }
      long now = System.nanoTime();
      long at = now + limit.toNanos();
      return new Deadline(at < now ? Long.MAX_VALUE : at, limit);
    }

    long leftNanos() {
      return atNanos == Long.MAX_VALUE ? Long.MAX_VALUE : atNanos - System.nanoTime();
    }
  }
}
