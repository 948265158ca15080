package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path dir;

  @Test
  void readsOpensslEcKeyFormat() throws Exception {
    // Made by: openssl ecparam -name prime256v1 -genkey -noout
    Path file = dir.resolve("key.pem");
    try (InputStream in = PemTest.class.getResourceAsStream("openssl-ec-key.pem")) {
      Files.copy(in, file);
    }
    ECPrivateKey key = (ECPrivateKey) Pem.readPrivateKey(file);
    assertEquals(
        new BigInteger("d604e42234e2e1794abc64daebbd03b976ce7ce8ce9e54e0e4c1391d955cb366", 16),
        key.getS());
  }

  @Test
  void namesFileWithoutCertificate() throws Exception {
    Path file = dir.resolve("cert.pem");
    Files.writeString(file, "hello\n", StandardCharsets.UTF_8);
    TlsException e = assertThrows(TlsException.class, () -> Pem.readCertificate(file));
    assertEquals(
        "read certificate " + file + ": no \"BEGIN CERTIFICATE\" block found", e.getMessage());
  }

  @Test
  void namesFileWithoutKey() throws Exception {
    TestPki pki = new TestPki("ca");
    Path file = dir.resolve("key.pem");
    Pem.writeCertificate(file, pki.ca.certificate(), ExistingFiles.REFUSE);
    TlsException e = assertThrows(TlsException.class, () -> Pem.readPrivateKey(file));
    assertTrue(e.getMessage().startsWith("read private key " + file + ": "), e.getMessage());
  }

  @Test
  void namesCorruptCertificate() throws Exception {
    Path file = dir.resolve("cert.pem");
    Files.writeString(
        file,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        StandardCharsets.UTF_8);
    TlsException e = assertThrows(TlsException.class, () -> Pem.readCertificate(file));
    assertTrue(e.getMessage().startsWith("read certificate " + file + ": "), e.getMessage());
  }
}
