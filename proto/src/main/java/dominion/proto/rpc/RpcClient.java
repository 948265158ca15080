package dominion.proto.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
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
  private final CallFailures failures;
  private final BulkDownload bulk;
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
    this.failures = new CallFailures(target, http.connectTimeout(), limits.idle(), mapper);
    this.bulk =
        new BulkDownload(
            new BulkDownload.Endpoint(host, port, target, tls), http, limits.idle(), failures);
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
                        deadlinePassed -> failures.bodyTimeout(method, deadlinePassed, deadline))),
            d,
            Deadline.after(limits.idle()));
    return checked(method, response, response.body());
  }

  /**
   * Calls a bulk download method, within {@link Limits#streamed()}; see {@link
   * #bulkDownload(String, Object, Duration)}.
   */
  public InputStream bulkDownload(String method, Object request) {
    return bulkDownload(method, request, limits.streamed());
  }

  /**
   * Calls a download method as {@link #download(String, Object, Duration)} does (same request,
   * limits, failures and messages), but on a connection of its own, which the returned stream reads
   * on the caller's thread and closes when it is closed. (Only the request is sent from a thread of
   * its own, so that an answer the server sends before reading all of it is read.)
   *
   * <p>For bulk streams (tens of MiB of objects or files): the shared client hands every buffer of
   * a response from its own threads to the reader's and allocates each anew, which costs about
   * twice the time of reading the socket directly, and with a small heap many collections. A
   * connection per call costs a TCP (and TLS) handshake, so small, frequent calls (polls, unary
   * calls) stay on the shared client's pooled connections. The TLS context and parameters are the
   * shared client's, so the certificate presented and the checks of the server's are the same.
   *
   * <p>An interrupt of a virtual thread blocked in a read closes the connection and fails the call
   * ({@code UNAVAILABLE} while the answer is awaited, {@link InterruptedIOException} from a read of
   * the stream); a platform thread's socket read is not interruptible, so it waits for the idle
   * limit.
   *
   * @param deadline the longest the whole download may take, to its last byte; null for no limit
   */
  public InputStream bulkDownload(String method, Object request, Duration deadline) {
    try {
      return bulk.open(method, mapper.writeValueAsBytes(request), deadline);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode request: " + e.getMessage(), e);
    }
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
      throw failures.noAnswer(method, first == deadline, deadline, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw failures.interrupted(method, e);
    } catch (ExecutionException e) {
      throw failures.failure(method, e.getCause() == null ? e : e.getCause());
    }
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
          bytes = in.readNBytes(BulkDownload.MAX_ERROR_BODY);
        }
      } else {
        bytes = (byte[]) body;
      }
    } catch (IOException e) {
      bytes = new byte[0];
    }
    return failures.errorOf(method, response.statusCode(), bytes);
  }
}
