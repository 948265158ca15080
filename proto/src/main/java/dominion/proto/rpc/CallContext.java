package dominion.proto.rpc;

import java.net.SocketAddress;
import java.util.Map;

/**
 * What a handler knows about the call it serves.
 *
 * @param method the called {@code Service.Method}
 * @param user the caller's certificate user, or null on a server run with {@code
 *     --permit-insecure-mode}
 * @param remote the peer's address
 * @param params the request URL's query parameters (used by streaming uploads), never null
 */
public record CallContext(
    String method, String user, SocketAddress remote, Map<String, String> params) {
  /** The caller as logs name it. */
  public String who() {
    return (user == null ? "anonymous" : user) + "@" + remote;
  }
}
