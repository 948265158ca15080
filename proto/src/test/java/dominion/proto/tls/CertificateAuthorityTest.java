package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  @TempDir Path dir;

  private final Instant now = Instant.now();

  private CertificateAuthority newCa() throws TlsException {
    return CertificateAuthority.create(
        "Fleet CA", now.minusSeconds(60), now.plus(Duration.ofDays(10)));
  }

  @Test
  void createWriteLoadIssueRoundTrip() throws Exception {
    CertificateAuthority ca = newCa();
    ca.writeTo(dir.resolve("ca"));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/CA.key.pem"))));

    CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca"));
    assertEquals(ca.certificate(), loaded.certificate());
    IssuedCertificate issued =
        loaded.issue(
            IssueRequest.lasting(
                "subd",
                Role.SUBD.methods(),
                List.of("sub1.example", "10.0.0.7"),
                now,
                Duration.ofDays(2)));
    issued.writeTo(dir.resolve("subd"), ExistingFiles.REFUSE);

    X509Certificate cert = Pem.readCertificate(dir.resolve("subd/cert.pem"));
    cert.verify(ca.certificate().getPublicKey());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("subd/key.pem"))));
    assertTrue(
        Files.readString(dir.resolve("subd/key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
    assertArrayEquals(
        issued.privateKey().getEncoded(),
        Pem.readPrivateKey(dir.resolve("subd/key.pem")).getEncoded());
    Identity id = Identity.fromCertificate(cert);
    assertEquals("subd", id.user());
    assertEquals(Role.SUBD.methods(), id.methods());
    assertEquals(List.of("sub1.example", "10.0.0.7"), HostNames.of(cert));
    assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
    assertTrue(cert.getBasicConstraints() < 0, "leaf must not be a CA");
    assertEquals(0, ca.certificate().getBasicConstraints());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
  }

  @Test
  void refusesToOverwriteCa() throws Exception {
    newCa().writeTo(dir);
    String before = Files.readString(dir.resolve("CA.pem"));
    TlsException e = assertThrows(TlsException.class, () -> newCa().writeTo(dir));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(before, Files.readString(dir.resolve("CA.pem")));
  }

  @Test
  void refusesCertificateOutlivingCa() throws Exception {
    CertificateAuthority ca = newCa();
    TlsException e =
        assertThrows(
            TlsException.class,
            () ->
                ca.issue(
                    IssueRequest.lasting(
                        "admin", Role.ADMIN.methods(), List.of(), now, Duration.ofDays(11))));
    assertTrue(e.getMessage().contains("outlive the CA"), e.getMessage());
  }

  @Test
  void loadRefusesKeyOfAnotherCa() throws Exception {
    newCa().writeTo(dir.resolve("a"));
    newCa().writeTo(dir.resolve("b"));
    Files.copy(
        dir.resolve("b/CA.key.pem"),
        dir.resolve("a/CA.key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    TlsException e =
        assertThrows(TlsException.class, () -> CertificateAuthority.load(dir.resolve("a")));
    assertTrue(e.getMessage().contains("is not the key of CA.pem"), e.getMessage());
  }

  @Test
  void loadNamesMissingFile() {
    TlsException e =
        assertThrows(TlsException.class, () -> CertificateAuthority.load(dir.resolve("none")));
    assertTrue(e.getMessage().contains("none/CA.pem: no such file"), e.getMessage());
  }

  @Test
  void issuedCertificateRefusesToOverwriteUnlessAsked() throws Exception {
    CertificateAuthority ca = newCa();
    IssueRequest req =
        IssueRequest.lasting("u", Role.ADMIN.methods(), List.of(), now, Duration.ofDays(1));
    ca.issue(req).writeTo(dir, ExistingFiles.REFUSE);
    TlsException e =
        assertThrows(TlsException.class, () -> ca.issue(req).writeTo(dir, ExistingFiles.REFUSE));
    assertTrue(e.getMessage().contains("key.pem already exists"), e.getMessage());
    IssuedCertificate second = ca.issue(req);
    second.writeTo(dir, ExistingFiles.REPLACE);
    assertEquals(second.certificate(), Pem.readCertificate(dir.resolve("cert.pem")));
  }

  @Test
  void aCertificateMayGrantNoMethodAndThenPermitsNone() throws Exception {
    IssuedCertificate issued =
        newCa().issue(IssueRequest.lasting("mdbd", List.of(), List.of(), now, Duration.ofDays(1)));
    Identity id = Identity.fromCertificate(issued.certificate());
    assertEquals(new Identity("mdbd", List.of()), id);
    assertFalse(id.permits("Dominator.ListSubs"));
    assertFalse(id.permits(""));
  }

  @Test
  void requestsAreChecked() {
    assertThrows(
        IllegalArgumentException.class,
        () -> IssueRequest.lasting(" ", Role.ADMIN.methods(), List.of(), now, Duration.ofDays(1)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            IssueRequest.lasting(
                "u", Role.ADMIN.methods(), List.of("bad host"), now, Duration.ofDays(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new IssueRequest("u", Role.ADMIN.methods(), List.of(), now, now));
  }
}
