package dominion.proto.rpc;

import java.io.IOException;

/**
 * A call that ran out of time while its streamed response was read: the server stalled (sent
 * nothing for longer than the idle limit) or the call's deadline passed. Thrown by the reads of a
 * body from {@link RpcClient#download}, as an {@link IOException} so that readers clean up as for
 * any broken stream; {@link #toRpcException()} gives the call's failure ({@link
 * ErrorCode#UNAVAILABLE}, the same message).
 */
public final class RpcTimeoutException extends IOException {
  public RpcTimeoutException(String message) {
    super(message);
  }

  /** The failure of the call, for callers that report {@link RpcException}s. */
  public RpcException toRpcException() {
    return new RpcException(ErrorCode.UNAVAILABLE, getMessage(), this);
  }
}
