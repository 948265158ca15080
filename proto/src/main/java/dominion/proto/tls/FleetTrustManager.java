package dominion.proto.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts certificates that chain to the fleet's CA (checked by the JDK's PKIX trust manager:
 * signature, validity dates, key usage) and, for servers, makes the host check itself (see {@link
 * HostVerification}).
 *
 * <p>It does its own host check because the JDK's would refuse certificates that name no hosts:
 * {@code java.net.http.HttpClient} sets the "HTTPS" endpoint identification algorithm on its
 * engines, and the JDK then leaves the check to an {@link X509ExtendedTrustManager} such as this
 * one. So the PKIX checks are called without the engine (no endpoint identification), and the
 * dialled host is the engine's or socket's peer host.
 */
final class FleetTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final HostVerification hostVerification;

  FleetTrustManager(X509ExtendedTrustManager pkix, HostVerification hostVerification) {
    this.pkix = pkix;
    this.hostVerification = hostVerification;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    checkHost(chain[0], null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    String host = null;
    if (socket instanceof SSLSocket s && s.getHandshakeSession() != null) {
      host = s.getHandshakeSession().getPeerHost();
    }
    if (host == null && socket != null && socket.getInetAddress() != null) {
      host = socket.getInetAddress().getHostAddress();
    }
    checkHost(chain[0], host);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    String host = engine == null ? null : engine.getPeerHost();
    if (host == null && engine != null) {
      SSLSession session = engine.getHandshakeSession();
      host = session == null ? null : session.getPeerHost();
    }
    checkHost(chain[0], host);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private void checkHost(X509Certificate leaf, String host) throws CertificateException {
    List<String> names = HostNames.of(leaf);
    String who = "server certificate \"" + Identity.userOf(leaf) + "\"";
    if (names.isEmpty()) {
      if (hostVerification == HostVerification.REQUIRED) {
        throw new CertificateException(
            who
                + " names no hosts, and this client requires the dialled host "
                + host
                + "; issue it with certtool issue --host "
                + (host == null ? "NAME" : host));
      }
      return;
    }
    if (host == null) {
      throw new CertificateException(
          who + " names hosts " + names + " but the dialled host is unknown");
    }
    if (!HostNames.matches(host, names)) {
      throw new CertificateException(
          who
              + " is for hosts "
              + names
              + ", not the dialled host "
              + host
              + "; dial one of those names, or issue the certificate with --host "
              + host);
    }
  }
}
