package dominion.proto.rpc;

import dominion.proto.tls.Identity;
import io.netty.handler.ssl.SslContext;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * How an {@link RpcServer} admits callers: over TLS with client certificates whose
 * {@link Identity} must permit each method, or (only when an operator asked for it with
 * {@code --permit-insecure-mode}) over plain connections with every method open.
 */
public sealed interface ServerSecurity {
  /** Plain HTTP; every caller may call every method. */
  record Insecure() implements ServerSecurity {}

  /** TLS; {@code context} must request (not require) client certificates. */
  record Tls(SslContext context) implements ServerSecurity {}

  static ServerSecurity insecure() {
    return new Insecure();
  }

  default boolean isInsecure() {
    return this instanceof Insecure;
  }

  /** The caller named by a verified client certificate. */
  static Identity identify(X509Certificate certificate) {
    try {
      return Identity.fromCertificate(certificate);
    } catch (CertificateException e) {
      throw new RpcException(ErrorCode.PERMISSION_DENIED,
          "permission denied: unreadable client certificate: " + e.getMessage());
    }
  }
}
