package dominion.proto.tls;

import java.io.IOException;

/**
 * Reading, checking or building TLS material failed. The message names the file or certificate and
 * the cause, and ends with what an operator can do about it.
 */
public final class TlsException extends IOException {
  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
