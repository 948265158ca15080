package dominion.proto.rpc;

import dominion.proto.tls.TlsCredentials;
import dominion.proto.tls.TlsException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;

/**
 * A daemon's own certificate as operators see it: the user it names and when it expires.
 *
 * @param user the certificate's user
 * @param expiry the certificate's last valid instant (its notAfter)
 */
public record OwnCertificate(String user, Instant expiry) {
  /** How long before expiry a certificate is due for renewal: logs and status pages warn. */
  public static final Duration RENEW_SOON = Duration.ofDays(14);

  /**
   * The user and expiry of {@code credentials}' certificate.
   *
   * @throws TlsException if the certificate names no user
   */
  public static OwnCertificate of(TlsCredentials credentials) throws TlsException {
    try {
      return new OwnCertificate(
          credentials.identity().user(), credentials.certificate().getNotAfter().toInstant());
    } catch (CertificateException e) {
      throw new TlsException("set up TLS: " + e.getMessage(), e);
    }
  }

  /** {@code TLS 1.3 as user "subd", certificate expires 2027-01-01T00:00:00Z}. */
  public String summary() {
    return "TLS 1.3 as user \"" + user + "\", certificate expires " + expiry;
  }

  /** Whether the certificate has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiry);
  }

  /** Whether the certificate expires within {@link #RENEW_SOON} of {@code now} (or has expired). */
  public boolean dueForRenewalAt(Instant now) {
    return Duration.between(now, expiry).compareTo(RENEW_SOON) < 0;
  }
}
