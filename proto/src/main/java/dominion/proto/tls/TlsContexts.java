package dominion.proto.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the SSL contexts of servers and clients from {@link TlsCredentials}: TLS 1.3 only,
 * trusting only the fleet's CA.
 *
 * <p>Servers ask for a client certificate but do not require one (so status pages, metrics and
 * health checks work from a browser); a client certificate that is presented must chain to the CA
 * and be within its dates, or the handshake fails. The RPC layer then refuses calls whose session
 * has no verified certificate ({@link Identity#fromSession}).
 */
public final class TlsContexts {
  /** The only protocol spoken. */
  public static final String PROTOCOL = "TLSv1.3";

  private TlsContexts() {}

  /**
   * A Netty server context for a daemon's port: the JDK context of {@link #jdkServer}, wrapped.
   *
   * <p>Not built with Netty's {@code SslContextBuilder}: its JDK server context, when first used,
   * instantiates a Bouncy Castle JCE provider if one is on the class path (to test how it reads
   * keys), and keeps it for the life of the process: several hundred classes and a few MiB of heap
   * in every daemon, subd included, for a provider nothing here uses.
   */
  public static SslContext nettyServer(TlsCredentials c) throws TlsException {
    try {
      return new JdkSslContext(
          jdkServer(c),
          false,
          null,
          IdentityCipherSuiteFilter.INSTANCE,
          null,
          ClientAuth.OPTIONAL,
          new String[] {PROTOCOL},
          false);
    } catch (RuntimeException e) {
      throw new TlsException("build TLS server context: " + e.getMessage(), e);
    }
  }

  /**
   * A JDK server context (the one {@link #nettyServer} wraps; for servers not on Netty, and tests).
   * Use it with {@link #serverParameters()}, which restrict it to TLS 1.3 and ask for client
   * certificates.
   */
  public static SSLContext jdkServer(TlsCredentials c) throws TlsException {
    return context(c, HostVerification.IF_NAMED);
  }

  /**
   * A client context: presents this program's certificate, trusts only the CA, and checks the
   * server's host names as {@code hostVerification} says. Use it with {@link #clientParameters()}
   * (for {@code java.net.http.HttpClient}: {@code
   * HttpClient.newBuilder().sslContext(ctx).sslParameters(TlsContexts.clientParameters())}).
   */
  public static SSLContext jdkClient(TlsCredentials c, HostVerification hostVerification)
      throws TlsException {
    return context(c, hostVerification);
  }

  /** Client parameters: TLS 1.3 only. */
  public static SSLParameters clientParameters() {
    SSLParameters p = new SSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    return p;
  }

  /** Server parameters: TLS 1.3 only, client certificate wanted but optional. */
  public static SSLParameters serverParameters() {
    SSLParameters p = clientParameters();
    p.setWantClientAuth(true);
    return p;
  }

  private static SSLContext context(TlsCredentials c, HostVerification hostVerification)
      throws TlsException {
    try {
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(
          new KeyManager[] {new SingleKeyManager(c.certificate(), c.privateKey())},
          new TrustManager[] {new FleetTrustManager(pkix(c.caCertificate()), hostVerification)},
          null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new TlsException("build TLS context: " + e.getMessage(), e);
    }
  }

  private static TrustManagerFactory trustManagerFactory(X509Certificate ca) throws TlsException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("fleet-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("build trust manager for CA: " + e.getMessage(), e);
    }
  }

  static X509ExtendedTrustManager pkix(X509Certificate ca) throws TlsException {
    for (TrustManager tm : trustManagerFactory(ca).getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new TlsException("build trust manager for CA: the JDK offers no X509 trust manager");
  }
}
