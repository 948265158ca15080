package dominion.proto.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A fleet's certificate authority: its self-signed certificate and private key, which sign the
 * certificates of daemons and users.
 *
 * <p>Keys are ECDSA P-256 and signatures SHA256withECDSA, which every JDK's TLS 1.3 speaks and
 * which are quick to make. The CA certificate is {@code CA:TRUE, pathlen:0} (it signs only leaf
 * certificates). Leaf certificates are {@code CA:FALSE}, for digital signature, and for both TLS
 * server and client authentication, because daemons use one certificate to serve and to call others
 * (subd serves the dominator and calls the imageserver). The JDK's own providers do all
 * cryptography; Bouncy Castle only builds and encodes the certificates.
 */
public final class CertificateAuthority {
  /** The CA certificate's file name in a CA directory (and the CA file daemons read). */
  public static final String CERT_FILE = "CA.pem";

  /** The CA private key's file name in a CA directory. */
  public static final String KEY_FILE = "CA.key.pem";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  /** A CA from its certificate and the matching private key. */
  public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * A new CA named {@code name}, with a fresh key, valid from {@code notBefore} to {@code
   * notAfter}.
   *
   * @throws IllegalArgumentException if the name is blank or has control characters
   */
  public static CertificateAuthority create(String name, Instant notBefore, Instant notAfter)
      throws TlsException {
    if (name == null || name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "bad CA name \"" + name + "\": give a non-empty name without control characters");
    }
    KeyPair keys = newKeyPair();
    X500Name subject = subject(name);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(b, keys.getPrivate()), keys.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new TlsException("create CA " + name + ": " + e.getMessage(), e);
    }
  }

  /** Loads the CA in {@code dir} ({@code CA.pem} and {@code CA.key.pem}). */
  public static CertificateAuthority load(Path dir) throws TlsException {
    X509Certificate cert;
    PrivateKey key;
    try {
      cert = Pem.readCertificate(dir.resolve(CERT_FILE));
      key = Pem.readPrivateKey(dir.resolve(KEY_FILE));
    } catch (TlsException e) {
      throw new TlsException(
          "load CA from "
              + dir
              + ": "
              + e.getMessage()
              + "; give the directory certtool init-ca made",
          e);
    }
    if (!KeyMatch.matches(key, cert.getPublicKey())) {
      throw new TlsException(
          "load CA from "
              + dir
              + ": "
              + KEY_FILE
              + " is not the key of "
              + CERT_FILE
              + "; restore the pair that init-ca wrote");
    }
    return new CertificateAuthority(cert, key);
  }

  /**
   * Writes {@code dir/CA.pem} and {@code dir/CA.key.pem} (mode 0600), creating {@code dir}. Refuses
   * to replace an existing CA: every certificate it issued would stop working.
   */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : new String[] {KEY_FILE, CERT_FILE}) {
      if (Files.exists(dir.resolve(f))) {
        throw new TlsException(
            "write CA to "
                + dir
                + ": "
                + dir.resolve(f)
                + " already exists; a new CA would"
                + " invalidate every certificate the old one issued; choose another directory");
      }
    }
    Pem.writePrivateKey(dir.resolve(KEY_FILE), privateKey, ExistingFiles.REFUSE);
    Pem.writeCertificate(dir.resolve(CERT_FILE), certificate, ExistingFiles.REFUSE);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a certificate with a fresh key.
   *
   * @throws TlsException if the request would outlive this CA, or signing fails
   */
  public IssuedCertificate issue(IssueRequest request) throws TlsException {
    Instant caEnd = certificate.getNotAfter().toInstant();
    if (request.notAfter().isAfter(caEnd)) {
      throw new TlsException(
          "issue certificate for "
              + request.name()
              + ": it would outlive the CA, which expires "
              + caEnd
              + "; issue it for fewer days or make a new CA");
    }
    KeyPair keys = newKeyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                  serial(),
                  Date.from(request.notBefore()),
                  Date.from(request.notAfter()),
                  subject(request.name()),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  MethodsExtension.ASN1_OID, false, MethodsExtension.encode(request.methods()));
      if (!request.hosts().isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, altNames(request));
      }
      return new IssuedCertificate(sign(b, privateKey), keys.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new TlsException("issue certificate for " + request.name() + ": " + e.getMessage(), e);
    }
  }

  private static GeneralNames altNames(IssueRequest request) {
    GeneralName[] names = new GeneralName[request.hosts().size()];
    for (int i = 0; i < names.length; i++) {
      String h = request.hosts().get(i);
      byte[] ip = HostNames.ipBytes(h);
      names[i] =
          ip != null
              ? new GeneralName(GeneralName.iPAddress, new DEROctetString(ip))
              : new GeneralName(GeneralName.dNSName, h);
    }
    return new GeneralNames(names);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("make signer: " + e.getMessage(), e);
    }
  }

  private static X500Name subject(String name) {
    // One CN, UTF8String-encoded as given: no DN string parsing, so ',' or '=' need no escaping.
    return new X500NameBuilder().addRDN(BCStyle.CN, name).build();
  }

  private static BigInteger serial() {
    // 127 random bits, positive: unique without keeping state, within RFC 5280's 20 octets.
    return new BigInteger(127, RANDOM).setBit(0);
  }

  static KeyPair newKeyPair() throws TlsException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new TlsException("make an EC P-256 key: " + e.getMessage(), e);
    }
  }
}
