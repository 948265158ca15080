package dominion.proto.rpc;

/**
 * A failed call: what servers throw from handlers to answer with an error, and what clients throw
 * when a call fails, locally (connection refused: {@link ErrorCode#UNAVAILABLE}) or on the server.
 * Callers branch on {@link #code()}, never on the message.
 */
public class RpcException extends RuntimeException {
  private final ErrorCode code;

  public RpcException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public RpcException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static RpcException notFound(String message) {
    return new RpcException(ErrorCode.NOT_FOUND, message);
  }

  public static RpcException invalid(String message) {
    return new RpcException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static RpcException alreadyExists(String message) {
    return new RpcException(ErrorCode.ALREADY_EXISTS, message);
  }

  public static RpcException failedPrecondition(String message) {
    return new RpcException(ErrorCode.FAILED_PRECONDITION, message);
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
