package dominion.proto.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A throwaway fleet CA for tests, and quick ways to issue certificates from it. */
final class TestPki {
  final Instant now = Instant.now();
  final CertificateAuthority ca;

  TestPki(String name) throws TlsException {
    ca =
        CertificateAuthority.create(
            name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
  }

  static List<MethodGlob> globs(String... methods) {
    return Arrays.stream(methods).map(MethodGlob::new).toList();
  }

  IssuedCertificate issue(String name, List<String> hosts, String... methods) throws TlsException {
    return ca.issue(IssueRequest.lasting(name, globs(methods), hosts, now, Duration.ofDays(1)));
  }

  IssuedCertificate expired(String name, String... methods) throws TlsException {
    return ca.issue(
        new IssueRequest(
            name,
            globs(methods),
            List.of(),
            now.minus(Duration.ofHours(20)),
            now.minus(Duration.ofHours(10))));
  }

  TlsCredentials credentials(IssuedCertificate issued) {
    return TlsCredentials.of(ca.certificate(), issued);
  }
}
