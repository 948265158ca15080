package dominion.proto.rpc;

import dominion.proto.tls.CertificateAuthority;
import dominion.proto.tls.ExistingFiles;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.IssuedCertificate;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsConfig;
import dominion.proto.tls.TlsCredentials;
import dominion.proto.tls.TlsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A throwaway fleet CA in a directory, issuing certificates into subdirectories laid out as
 * programs read them ({@code DIR/CA.pem}, {@code DIR/NAME/cert.pem}, {@code DIR/NAME/key.pem}).
 * Shared with the daemons' tests and fleettest through proto's test-jar.
 */
public final class TestFleet {
  public final Instant now = Instant.now();
  public final CertificateAuthority ca;
  public final Path dir;

  public TestFleet(Path dir, String caName) throws IOException {
    this.dir = dir;
    ca =
        CertificateAuthority.create(
            caName, now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(30)));
    ca.writeTo(dir);
  }

  public Path caFile() {
    return dir.resolve(CertificateAuthority.CERT_FILE);
  }

  /** Issues a certificate valid for 20 days into {@code DIR/NAME}; returns that directory. */
  public Path issue(String name, List<String> hosts, String... methods) throws IOException {
    return write(
        name,
        ca.issue(IssueRequest.lasting(name, globs(methods), hosts, now, Duration.ofDays(20))));
  }

  /** Issues the certificate of {@code role}, named after it, for any host. */
  public Path issue(Role role) throws IOException {
    return issue(role, role.cliName(), List.of());
  }

  /** Issues {@code role}'s certificate for user {@code name}, into {@code DIR/NAME}. */
  public Path issue(Role role, String name, List<String> hosts) throws IOException {
    return write(
        name,
        ca.issue(IssueRequest.lasting(name, role.methods(), hosts, now, Duration.ofDays(20))));
  }

  /** Issues a certificate that expired yesterday into {@code DIR/NAME}. */
  public Path expired(String name, String... methods) throws IOException {
    return write(name, expiredCertificate(name, methods));
  }

  /** A certificate that expired yesterday. */
  public IssuedCertificate expiredCertificate(String name, String... methods) throws TlsException {
    return ca.issue(
        new IssueRequest(
            name,
            globs(methods),
            List.of(),
            now.minus(Duration.ofDays(2)),
            now.minus(Duration.ofDays(1))));
  }

  /** A CLI's setup with the certificate in {@code certDir}. */
  public SecuritySetup cli(Path certDir) throws TlsException {
    return SecuritySetup.forCli(
        caFile(),
        certDir.resolve(IssuedCertificate.CERT_FILE),
        certDir.resolve(IssuedCertificate.KEY_FILE),
        false);
  }

  /** The CA, certificate and key of {@code certDir}, loaded as a daemon loads its own. */
  public TlsCredentials credentials(Path certDir) throws TlsException {
    return new TlsConfig(
            caFile(),
            certDir.resolve(IssuedCertificate.CERT_FILE),
            certDir.resolve(IssuedCertificate.KEY_FILE))
        .load();
  }

  /** A daemon's setup with the certificate in {@code certDir}. */
  public SecuritySetup daemon(String name, Path certDir) throws TlsException {
    return SecuritySetup.forDaemon(
        name,
        caFile(),
        certDir.resolve(IssuedCertificate.CERT_FILE),
        certDir.resolve(IssuedCertificate.KEY_FILE),
        false);
  }

  /** {@code --ca FILE --cert FILE --key FILE} for the certificate in {@code certDir}. */
  public List<String> flags(Path certDir) {
    return List.of(
        "--ca",
        caFile().toString(),
        "--cert",
        certDir.resolve(IssuedCertificate.CERT_FILE).toString(),
        "--key",
        certDir.resolve(IssuedCertificate.KEY_FILE).toString());
  }

  private Path write(String name, IssuedCertificate issued) throws IOException {
    Path out = dir.resolve(name);
    issued.writeTo(out, ExistingFiles.REFUSE);
    return out;
  }

  private static List<MethodGlob> globs(String... methods) {
    return Arrays.stream(methods).map(MethodGlob::new).toList();
  }
}
