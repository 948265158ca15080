package dominion.proto.rpc;

import dominion.proto.tls.Identity;
import dominion.proto.tls.TlsContexts;
import dominion.proto.tls.TlsCredentials;
import dominion.proto.tls.TlsException;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;

/**
 * How an {@link RpcServer} admits callers: over TLS with client certificates whose {@link Identity}
 * must permit each method, or (only when an operator asked for it with {@code
 * --permit-insecure-mode}) over plain connections with every method open.
 */
public sealed interface ServerSecurity {
  /** Plain HTTP; every caller may call every method. */
  record Insecure() implements ServerSecurity {}

  /**
   * TLS; {@code context} must request (not require) client certificates.
   *
   * @param clock the time each call's client certificate must be valid at: the handshake checks it
   *     once, but a connection (or a resumed TLS session) may outlive the certificate
   * @param certificate the server's own certificate, for its status page and metrics; null when
   *     only a context was given (tests)
   */
  record Tls(SslContext context, Clock clock, OwnCertificate certificate)
      implements ServerSecurity {
    /** TLS with {@code clock}, its own certificate unknown. */
    public Tls(SslContext context, Clock clock) {
      this(context, clock, null);
    }

    /** TLS with the system clock, its own certificate unknown. */
    public Tls(SslContext context) {
      this(context, Clock.systemUTC());
    }
  }

  /** Plain HTTP, every method open to every caller. */
  static ServerSecurity insecure() {
    return new Insecure();
  }

  /**
   * TLS 1.3 with {@code credentials}, accepting client certificates from their CA (see {@link
   * TlsContexts#nettyServer}); {@code certificate} is their certificate as the status page shows
   * it.
   */
  static ServerSecurity tls(TlsCredentials credentials, OwnCertificate certificate)
      throws TlsException {
    return new Tls(TlsContexts.nettyServer(credentials), Clock.systemUTC(), certificate);
  }

  default boolean isInsecure() {
    return this instanceof Insecure;
  }

  /** The server's own certificate; null when insecure or unknown. */
  default OwnCertificate certificate() {
    return null;
  }
}
