package dominion.proto.tls;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Where a program's TLS files are: the fleet's CA certificate, its own certificate and its key.
 *
 * <p>Daemons read {@code /etc/ssl/CA.pem} and {@code /etc/ssl/<daemon>/{cert,key}.pem}; CLIs read
 * {@code ~/.ssl/{CA,cert,key}.pem}; flags ({@code --ca --cert --key}) override each.
 *
 * @param caFile PEM file with the fleet's CA certificate
 * @param certFile PEM file with this program's certificate
 * @param keyFile PEM file with that certificate's private key
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile) {
  /** The system-wide directory daemons read by default. */
  public static final Path SYSTEM_DIR = Path.of("/etc/ssl");

  /**
   * A daemon's files: each given path, or its default under {@code /etc/ssl} ({@code CA.pem},
   * {@code <daemon>/cert.pem}, {@code <daemon>/key.pem}).
   *
   * @param ca the {@code --ca} flag, or null
   * @param cert the {@code --cert} flag, or null
   * @param key the {@code --key} flag, or null
   */
  public static TlsConfig forDaemon(String daemon, Path ca, Path cert, Path key) {
    return withDefaults(
        SYSTEM_DIR.resolve(CertificateAuthority.CERT_FILE),
        SYSTEM_DIR.resolve(daemon),
        ca,
        cert,
        key);
  }

  /** A CLI's files: each given path (null for none), or its default in {@code ~/.ssl}. */
  public static TlsConfig forCli(Path ca, Path cert, Path key) {
    Path dir = Path.of(System.getProperty("user.home"), ".ssl");
    return withDefaults(dir.resolve(CertificateAuthority.CERT_FILE), dir, ca, cert, key);
  }

  /**
   * Each given path (null for none), or its default: {@code defaultCa}, and {@code cert.pem},
   * {@code key.pem} in {@code certDir}.
   */
  public static TlsConfig withDefaults(Path defaultCa, Path certDir, Path ca, Path cert, Path key) {
    return new TlsConfig(
        ca != null ? ca : defaultCa,
        cert != null ? cert : certDir.resolve(IssuedCertificate.CERT_FILE),
        key != null ? key : certDir.resolve(IssuedCertificate.KEY_FILE));
  }

  /**
   * The files that are missing or unreadable, each described with its flag, for example {@code "CA
   * certificate /etc/ssl/CA.pem (--ca)"}. Empty when all three are there.
   */
  public List<String> missingFiles() {
    List<String> out = new ArrayList<>();
    check(out, "CA certificate", caFile, "--ca");
    check(out, "certificate", certFile, "--cert");
    check(out, "private key", keyFile, "--key");
    return out;
  }

  /**
   * An operator's message about {@link #missingFiles()}, or null if none is missing: {@code
   * "missing TLS files: ...; make them with certtool (see docs/security.md) or give their paths
   * with --ca, --cert, --key"}. Daemons append how to run without TLS.
   */
  public String missingFilesMessage() {
    List<String> missing = missingFiles();
    if (missing.isEmpty()) {
      return null;
    }
    return "missing TLS files: "
        + String.join(", ", missing)
        + "; make them with certtool (see docs/security.md) or give their paths with"
        + " --ca, --cert, --key";
  }

  private static void check(List<String> out, String what, Path file, String flag) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      out.add(what + " " + file + " (" + flag + ")");
    }
  }

  /** Reads and checks the files as of now; see {@link #load(Instant)}. */
  public TlsCredentials load() throws TlsException {
    return load(Instant.now());
  }

  /**
   * Reads the three files and checks them at {@code now}: the key belongs to the certificate, the
   * CA issued it, both are within their dates, its method list is readable.
   *
   * @throws TlsException naming every problem found (a missing file, a bad PEM, an expiry...)
   */
  public TlsCredentials load(Instant now) throws TlsException {
    String missing = missingFilesMessage();
    if (missing != null) {
      throw new TlsException(missing);
    }
    X509Certificate ca = Pem.readCertificate(caFile);
    X509Certificate cert = Pem.readCertificate(certFile);
    PrivateKey key = Pem.readPrivateKey(keyFile);
    TlsCredentials c = new TlsCredentials(ca, cert, key);
    List<String> problems = c.problems(now);
    if (!problems.isEmpty()) {
      throw new TlsException(
          "TLS files "
              + certFile
              + ", "
              + keyFile
              + " with CA "
              + caFile
              + ": "
              + String.join("; ", problems));
    }
    return c;
  }

  /** Loads the files and builds a Netty server context ({@link TlsContexts#nettyServer}). */
  public SslContext serverContext() throws TlsException {
    return TlsContexts.nettyServer(load());
  }

  /** Loads the files and builds a client context ({@link TlsContexts#jdkClient}). */
  public SSLContext clientSslContext(HostVerification hostVerification) throws TlsException {
    return TlsContexts.jdkClient(load(), hostVerification);
  }
}
