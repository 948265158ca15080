package dominion.proto.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes PEM files: certificates ({@code CERTIFICATE}) and unencrypted private keys
 * (written as PKCS#8 {@code PRIVATE KEY}; {@code EC PRIVATE KEY} made by openssl is read too).
 * Writes are atomic (temporary file, then rename); key files are created mode 0600.
 */
public final class Pem {
  private static final Set<PosixFilePermission> KEY_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> CERT_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private Pem() {}

  /** The certificates in {@code file}, in file order (leaf first for a chain). */
  public static List<X509Certificate> readCertificates(Path file) throws TlsException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          out.add(converter.getCertificate(h));
        }
      }
    } catch (NoSuchFileException e) {
      throw new TlsException("read certificate " + file + ": no such file");
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new TlsException(
          "read certificate " + file + ": not a PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new TlsException("read certificate " + file + ": no \"BEGIN CERTIFICATE\" block found");
    }
    return out;
  }

  /** The first certificate in {@code file}. */
  public static X509Certificate readCertificate(Path file) throws TlsException {
    return readCertificates(file).getFirst();
  }

  /** The private key in {@code file} (PKCS#8 or an openssl EC key; not encrypted). */
  public static PrivateKey readPrivateKey(Path file) throws TlsException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    } catch (NoSuchFileException e) {
      throw new TlsException("read private key " + file + ": no such file");
    } catch (IOException | RuntimeException e) {
      throw new TlsException(
          "read private key " + file + ": not a PEM private key: " + e.getMessage(), e);
    }
    throw new TlsException(
        "read private key " + file + ": no unencrypted \"BEGIN PRIVATE KEY\" block found");
  }

  /** {@code cert} as PEM text. */
  public static String toPem(X509Certificate cert) {
    return encode(cert);
  }

  /** Writes {@code cert} to {@code file} (mode 0644). */
  public static void writeCertificate(Path file, X509Certificate cert, ExistingFiles existing)
      throws IOException {
    write(file, encode(cert), CERT_MODE, existing);
  }

  /** Writes {@code key} to {@code file} as unencrypted PKCS#8 (mode 0600). */
  public static void writePrivateKey(Path file, PrivateKey key, ExistingFiles existing)
      throws IOException {
    String text;
    try {
      text = encode(new JcaPKCS8Generator(key, null));
    } catch (RuntimeException e) {
      throw new TlsException("encode private key for " + file + ": " + e, e);
    }
    write(file, text, KEY_MODE, existing);
  }

  private static String encode(Object pemObject) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(pemObject);
    } catch (IOException e) {
      // A StringWriter does not fail; only encoding can, and it is a bug if it does.
      throw new IllegalStateException("encode PEM: " + e.getMessage(), e);
    }
    return s.toString();
  }

  private static void write(
      Path file, String text, Set<PosixFilePermission> mode, ExistingFiles existing)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (existing == ExistingFiles.REFUSE && Files.exists(file)) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "already exists; remove it first or choose another place");
    }
    Path tmp =
        Files.createTempFile(
            dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(mode));
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(text);
      }
      // createTempFile's mode is subject to the umask; set it exactly.
      Files.setPosixFilePermissions(tmp, mode);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (existing == ExistingFiles.REFUSE) {
        // A hard link fails if the name exists, so a concurrent writer cannot be overwritten.
        Files.createLink(file, tmp);
      } else {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
