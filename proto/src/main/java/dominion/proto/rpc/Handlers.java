package dominion.proto.rpc;

import java.io.InputStream;
import java.io.OutputStream;

/** The shapes of RPC handler. Handlers run on the server's worker executor and may block. */
public final class Handlers {
  private Handlers() {}

  /** JSON request, JSON response. */
  @FunctionalInterface
  public interface Unary<Q, R> {
    R handle(Q request, CallContext call) throws Exception;
  }

  /**
   * JSON request, raw byte-stream response. The handler validates the request before writing: an
   * exception thrown before the first byte is an error response; after it, the connection is cut
   * and the client sees a truncated stream.
   */
  @FunctionalInterface
  public interface Download<Q> {
    void handle(Q request, CallContext call, OutputStream out) throws Exception;
  }

  /** Raw byte-stream request (parameters in the URL query), JSON response. */
  @FunctionalInterface
  public interface Upload<R> {
    R handle(InputStream body, CallContext call) throws Exception;
  }
}
