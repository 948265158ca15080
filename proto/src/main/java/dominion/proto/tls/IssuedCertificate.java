package dominion.proto.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate and its private key, as {@link CertificateAuthority#issue} makes them.
 *
 * @param certificate the certificate, signed by the fleet's CA
 * @param privateKey its private key
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
  /** The certificate's file name in a certificate directory (what daemons read). */
  public static final String CERT_FILE = "cert.pem";

  /** The key's file name in a certificate directory (what daemons read). */
  public static final String KEY_FILE = "key.pem";

  /**
   * Writes {@code dir/cert.pem} and {@code dir/key.pem} (mode 0600), creating {@code dir}. With
   * {@link ExistingFiles#REFUSE}, fails before writing anything if either file exists.
   */
  public void writeTo(Path dir, ExistingFiles existing) throws IOException {
    Files.createDirectories(dir);
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    if (existing == ExistingFiles.REFUSE) {
      for (Path p : new Path[] {key, cert}) {
        if (Files.exists(p)) {
          throw new TlsException(
              "write certificate to "
                  + dir
                  + ": "
                  + p
                  + " already exists; remove it first or choose another directory");
        }
      }
    }
    // The key first: a cert.pem without its key would look like a finished pair.
    Pem.writePrivateKey(key, privateKey, existing);
    Pem.writeCertificate(cert, certificate, existing);
  }
}
