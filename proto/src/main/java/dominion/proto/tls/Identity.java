package dominion.proto.tls;

import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Who is calling and what they may call, as read from a verified certificate.
 *
 * @param user the certificate's subject common name (the whole subject DN if it has none)
 * @param methods the method globs the certificate grants; empty means it may call nothing
 */
public record Identity(String user, List<MethodGlob> methods) {
  public Identity {
    methods = List.copyOf(methods);
  }

  /** Whether this identity may call {@code method} ({@code Service.Method}). */
  public boolean permits(String method) {
    for (MethodGlob g : methods) {
      if (g.matches(method)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the user and methods of {@code cert}. The caller must already have verified the
   * certificate (the TLS handshake does).
   *
   * @throws CertificateException if the method list extension is malformed
   */
  public static Identity fromCertificate(X509Certificate cert) throws CertificateException {
    List<String> globs;
    try {
      globs = MethodsExtension.read(cert);
    } catch (IOException e) {
      throw new CertificateException(
          "read methods of certificate " + cert.getSubjectX500Principal() + ": " + e.getMessage(),
          e);
    }
    try {
      return new Identity(userOf(cert), globs.stream().map(MethodGlob::new).toList());
    } catch (IllegalArgumentException e) {
      throw new CertificateException(
          "read methods of certificate " + cert.getSubjectX500Principal() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The identity of the peer of an established TLS session: empty if the peer sent no certificate
   * (servers accept that, for status pages; RPCs then get "permission denied").
   *
   * @throws CertificateException if the certificate's method list is malformed
   */
  public static Optional<Identity> fromSession(SSLSession session) throws CertificateException {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return Optional.of(fromCertificate(leaf));
  }

  /** The subject common name of {@code cert}, or its whole subject DN if it has none. */
  public static String userOf(X509Certificate cert) {
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] cns = subject.getRDNs(BCStyle.CN);
    if (cns.length == 0) {
      return cert.getSubjectX500Principal().getName();
    }
    ASN1Encodable value = cns[cns.length - 1].getFirst().getValue();
    return value instanceof ASN1String s ? s.getString() : value.toString();
  }
}
