package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {
  @TempDir Path dir;

  @Test
  void daemonDefaultsAreUnderEtcSsl() {
    TlsConfig c = TlsConfig.forDaemon("subd", null, null, null);
    assertEquals(Path.of("/etc/ssl/CA.pem"), c.caFile());
    assertEquals(Path.of("/etc/ssl/subd/cert.pem"), c.certFile());
    assertEquals(Path.of("/etc/ssl/subd/key.pem"), c.keyFile());
  }

  @Test
  void flagsOverrideDefaults() {
    TlsConfig c = TlsConfig.forDaemon("subd", Path.of("/x/ca"), null, Path.of("/x/k"));
    assertEquals(
        new TlsConfig(Path.of("/x/ca"), Path.of("/etc/ssl/subd/cert.pem"), Path.of("/x/k")), c);
  }

  @Test
  void cliDefaultsAreInHomeSsl() {
    TlsConfig c = TlsConfig.forCli(null, null, null);
    Path home = Path.of(System.getProperty("user.home"), ".ssl");
    assertEquals(
        new TlsConfig(home.resolve("CA.pem"), home.resolve("cert.pem"), home.resolve("key.pem")),
        c);
  }

  @Test
  void missingFilesAreNamedWithTheirFlags() {
    TlsConfig c = TlsConfig.withDefaults(dir.resolve("CA.pem"), dir.resolve("d"), null, null, null);
    assertEquals(
        List.of(
            "CA certificate " + dir.resolve("CA.pem") + " (--ca)",
            "certificate " + dir.resolve("d/cert.pem") + " (--cert)",
            "private key " + dir.resolve("d/key.pem") + " (--key)"),
        c.missingFiles());
    assertTrue(c.missingFilesMessage().startsWith("missing TLS files: CA certificate "));
    TlsException e = assertThrows(TlsException.class, c::load);
    assertTrue(e.getMessage().contains("(--key)"), e.getMessage());
  }

  @Test
  void loadsGoodFiles() throws Exception {
    TestPki pki = new TestPki("ca");
    pki.ca.writeTo(dir);
    pki.issue("subd", List.of(), "ObjectServer.GetObjects")
        .writeTo(dir.resolve("subd"), ExistingFiles.REFUSE);
    TlsConfig c =
        TlsConfig.withDefaults(dir.resolve("CA.pem"), dir.resolve("subd"), null, null, null);
    assertNull(c.missingFilesMessage());
    TlsCredentials creds = c.load();
    assertEquals("subd", creds.identity().user());
    c.serverContext();
    c.clientSslContext(HostVerification.IF_NAMED);
  }

  @Test
  void loadRefusesExpiredCertificate() throws Exception {
    TestPki pki = new TestPki("ca");
    pki.ca.writeTo(dir);
    pki.expired("subd", "*").writeTo(dir.resolve("subd"), ExistingFiles.REFUSE);
    TlsConfig c =
        TlsConfig.withDefaults(dir.resolve("CA.pem"), dir.resolve("subd"), null, null, null);
    TlsException e = assertThrows(TlsException.class, c::load);
    assertTrue(e.getMessage().contains("certificate \"subd\": expired"), e.getMessage());
  }

  @Test
  void loadRefusesCertificateOfAnotherFleet() throws Exception {
    TestPki ours = new TestPki("ours");
    TestPki theirs = new TestPki("theirs");
    ours.ca.writeTo(dir);
    theirs.issue("subd", List.of(), "*").writeTo(dir.resolve("subd"), ExistingFiles.REFUSE);
    TlsConfig c =
        TlsConfig.withDefaults(dir.resolve("CA.pem"), dir.resolve("subd"), null, null, null);
    TlsException e = assertThrows(TlsException.class, c::load);
    assertTrue(e.getMessage().contains("not issued by the CA \"ours\""), e.getMessage());
  }

  @Test
  void loadRefusesKeyOfAnotherCertificate() throws Exception {
    TestPki pki = new TestPki("ca");
    pki.ca.writeTo(dir);
    pki.issue("a", List.of(), "*").writeTo(dir.resolve("a"), ExistingFiles.REFUSE);
    pki.issue("b", List.of(), "*").writeTo(dir.resolve("b"), ExistingFiles.REFUSE);
    TlsConfig c =
        new TlsConfig(dir.resolve("CA.pem"), dir.resolve("a/cert.pem"), dir.resolve("b/key.pem"));
    TlsException e = assertThrows(TlsException.class, c::load);
    assertTrue(
        e.getMessage().contains("private key: it is not the key of certificate \"a\""),
        e.getMessage());
  }
}
