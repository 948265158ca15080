package dominion.proto.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Words the failures of one {@link RpcClient}'s calls, whichever connection carried them (the
 * shared HTTP client's or a bulk download's own socket), so that operators and tests see the same
 * text for the same failure.
 */
final class CallFailures {
  private final String target;
  private final Optional<Duration> connectTimeout;
  private final Duration idle;
  private final ObjectMapper mapper;

  /**
   * @param target {@code host:port}, for messages
   * @param connectTimeout the limit on connecting, if any
   * @param idle the idle limit of downloads
   */
  CallFailures(
      String target, Optional<Duration> connectTimeout, Duration idle, ObjectMapper mapper) {
    this.target = target;
    this.connectTimeout = connectTimeout;
    this.idle = idle;
    this.mapper = mapper;
  }

  /** A call whose answer did not start by {@code limit}: its deadline, or else the idle limit. */
  RpcException noAnswer(String method, boolean deadline, Deadline limit, Throwable cause) {
    return new RpcException(
        ErrorCode.UNAVAILABLE,
        deadline
            ? method + " to " + target + " failed: no answer within its deadline of " + human(limit)
            : method
                + " to "
                + target
                + " failed: no answer within the idle limit of "
                + human(idle),
        cause);
  }

  /** A download whose body stalled for the idle limit or was not read by its deadline. */
  RpcTimeoutException bodyTimeout(String method, boolean deadlinePassed, Duration deadline) {
    return new RpcTimeoutException(
        deadlinePassed
            ? method
                + " to "
                + target
                + " failed: not read to its end within its deadline of "
                + human(deadline)
            : method + " to " + target + " stalled: no bytes for the idle limit of " + human(idle));
  }

  /** A call whose thread was interrupted; restores the interrupt flag. */
  RpcException interrupted(String method, Throwable cause) {
    Thread.currentThread().interrupt();
    return new RpcException(
        ErrorCode.UNAVAILABLE, method + " to " + target + " interrupted", cause);
  }

  /** A connection not made within the connect timeout. */
  RpcException connectTimedOut(String method, Throwable cause) {
    return new RpcException(
        ErrorCode.UNAVAILABLE,
        "connect "
            + target
            + ": timed out"
            + connectTimeout.map(t -> " after " + human(t)).orElse("")
            + " (calling "
            + method
            + "); is the host up and reachable?",
        cause);
  }

  /** Any other failure to call {@code method}, described for the operator. */
  RpcException failure(String method, Throwable e) {
    if (e instanceof RpcException r) {
      return r;
    }
    if (e instanceof HttpConnectTimeoutException) {
      return connectTimedOut(method, e);
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
      return interrupted(method, e);
    }
    if (e instanceof IOException) {
      return new RpcException(
          ErrorCode.UNAVAILABLE,
          method + " to " + target + " failed: " + FailureText.describe(e),
          e);
    }
    return new RpcException(ErrorCode.INTERNAL, method + " to " + target + " failed: " + e, e);
  }

  /** The server's error answer ({@code body} is its start, at most 1 MiB) as an exception. */
  RpcException errorOf(String method, int status, byte[] body) {
    ErrorCode fallback = ErrorCode.ofHttpStatus(status);
    try {
      ErrorBody error = mapper.readValue(body, ErrorBody.class);
      ErrorCode code = error.code() == null ? fallback : ErrorCode.valueOf(error.code());
      return new RpcException(code, error.message());
    } catch (IOException | IllegalArgumentException e) {
      return new RpcException(fallback, method + " to " + target + " failed with HTTP " + status);
    }
  }

  static String human(Deadline d) {
    return human(d.limit());
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
