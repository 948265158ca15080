package dominion.proto.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one program's TLS needs: the fleet's CA certificate (the only one it trusts), its own
 * certificate and that certificate's private key. The SSL contexts are built from this, by {@link
 * TlsContexts}.
 *
 * @param caCertificate the fleet's CA certificate
 * @param certificate this program's certificate, presented to peers
 * @param privateKey the private key of {@code certificate}
 */
public record TlsCredentials(
    X509Certificate caCertificate, X509Certificate certificate, PrivateKey privateKey) {

  /** Builds from an issued certificate, for tests and tools. */
  public static TlsCredentials of(X509Certificate caCertificate, IssuedCertificate issued) {
    return new TlsCredentials(caCertificate, issued.certificate(), issued.privateKey());
  }

  /** What this certificate lets its holder call. */
  public Identity identity() throws CertificateException {
    return Identity.fromCertificate(certificate);
  }

  /**
   * What is wrong with these credentials at {@code now}, one message per problem: the key does not
   * belong to the certificate, the certificate was not issued by the CA, either is not yet valid or
   * has expired, or the method list is unreadable. Empty when all is well.
   */
  public List<String> problems(Instant now) {
    List<String> out = new ArrayList<>();
    String who = "certificate \"" + Identity.userOf(certificate) + "\"";
    if (!KeyMatch.matches(privateKey, certificate.getPublicKey())) {
      out.add("private key: it is not the key of " + who);
    }
    try {
      certificate.verify(caCertificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      out.add(
          who
              + ": not issued by the CA \""
              + Identity.userOf(caCertificate)
              + "\"; use a CA certificate and certificate from the same fleet");
    }
    dates(out, who, certificate, now);
    dates(out, "CA certificate \"" + Identity.userOf(caCertificate) + "\"", caCertificate, now);
    try {
      Identity.fromCertificate(certificate);
    } catch (CertificateException e) {
      out.add(e.getMessage());
    }
    return out;
  }

  private static void dates(List<String> out, String who, X509Certificate cert, Instant now) {
    Instant start = cert.getNotBefore().toInstant();
    Instant end = cert.getNotAfter().toInstant();
    if (now.isBefore(start)) {
      out.add(who + ": not valid until " + start + "; check this host's clock");
    } else if (now.isAfter(end)) {
      out.add(who + ": expired " + end + "; issue a new one with certtool issue");
    }
  }
}
