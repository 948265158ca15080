package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class IdentityTest {
  private final TestPki pki = new TestPki("Identity test CA");

  IdentityTest() throws TlsException {}

  @Test
  void readsUserAndMethodsFromCertificate() throws Exception {
    IssuedCertificate issued = pki.issue("dominator", List.of(), "Subd.*", "ImageServer.GetImage");
    Identity id = Identity.fromCertificate(issued.certificate());
    assertEquals("dominator", id.user());
    assertEquals(TestPki.globs("Subd.*", "ImageServer.GetImage"), id.methods());
    assertTrue(id.permits("Subd.Poll"));
    assertTrue(id.permits("ImageServer.GetImage"));
    assertFalse(id.permits("ImageServer.AddImage"));
  }

  @Test
  void nameWithSpecialCharactersSurvivesUnescaped() throws Exception {
    IssuedCertificate issued = pki.issue("Doe, Jane = ops+1", List.of(), "*");
    assertEquals("Doe, Jane = ops+1", Identity.fromCertificate(issued.certificate()).user());
  }

  @Test
  void duplicateMethodsAreDropped() throws Exception {
    IssuedCertificate issued = pki.issue("u", List.of(), "Subd.*", "Subd.*", "Dominator.ListSubs");
    assertEquals(
        TestPki.globs("Subd.*", "Dominator.ListSubs"),
        Identity.fromCertificate(issued.certificate()).methods());
  }

  @Test
  void certificateWithoutExtensionPermitsNothing() throws Exception {
    X509Certificate cert = foreignCertificate(null);
    Identity id = Identity.fromCertificate(cert);
    assertEquals("plain", id.user());
    assertTrue(id.methods().isEmpty());
    assertFalse(id.permits("Subd.Poll"));
  }

  @Test
  void malformedExtensionIsAnError() throws Exception {
    X509Certificate cert = foreignCertificate(new ASN1Integer(7).getEncoded());
    CertificateException e =
        assertThrows(CertificateException.class, () -> Identity.fromCertificate(cert));
    assertTrue(e.getMessage().contains(MethodsExtension.OID), e.getMessage());
  }

  @Test
  void extensionRoundTrips() throws Exception {
    List<MethodGlob> globs = TestPki.globs("*", "A.B", "C.*");
    assertEquals(
        List.of("*", "A.B", "C.*"), MethodsExtension.decode(MethodsExtension.encode(globs)));
  }

  @Test
  void extensionIsNonCritical() throws Exception {
    X509Certificate cert = pki.issue("u", List.of(), "*").certificate();
    assertTrue(cert.getNonCriticalExtensionOIDs().contains(MethodsExtension.OID));
  }

  /** A self-signed certificate made without certtool, with {@code extension} as method list. */
  private static X509Certificate foreignCertificate(byte[] extension) throws Exception {
    KeyPair keys = CertificateAuthority.newKeyPair();
    X500Name name = new X500Name("CN=plain,O=elsewhere");
    Date now = new Date();
    var b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.TWO,
            now,
            new Date(now.getTime() + Duration.ofDays(1).toMillis()),
            name,
            keys.getPublic());
    if (extension != null) {
      b.addExtension(MethodsExtension.ASN1_OID, false, extension);
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
