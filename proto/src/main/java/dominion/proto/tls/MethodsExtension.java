package dominion.proto.tls;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * The X.509 extension that lists the RPC methods a certificate's holder may call.
 *
 * <p>Wire layout: extnID {@value #OID}, critical = FALSE, extnValue = DER of {@code SEQUENCE OF
 * UTF8String}, one method glob ({@link MethodGlob}) per element. Decoding also accepts any other
 * ASN.1 string type per element (PrintableString, IA5String), as other tools may write them.
 *
 * <p>The OID is project-private: it lies under the {@code 2.25} arc (ITU-T X.667), where an OID is
 * a UUID written as one decimal integer, so it is unique without registering anything. Nobody else
 * assigns meaning to it. It is non-critical so generic TLS stacks accept the certificate; only
 * Dominion's transport reads it.
 */
public final class MethodsExtension {
  /** The extension's object identifier (UUID 7cf397b2-75d6-4adc-a3bf-bea38bc6e93a under 2.25). */
  public static final String OID = "2.25.166089076396885420094788785180932237626";

  static final ASN1ObjectIdentifier ASN1_OID = new ASN1ObjectIdentifier(OID);

  private MethodsExtension() {}

  /** The DER extnValue for {@code globs}. */
  public static byte[] encode(List<MethodGlob> globs) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    for (MethodGlob g : globs) {
      v.add(new DERUTF8String(g.pattern()));
    }
    try {
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("encode method list: " + e.getMessage(), e);
    }
  }

  /** Decodes an extnValue made by {@link #encode}. */
  public static List<String> decode(byte[] extnValue) throws IOException {
    ASN1Sequence seq;
    try {
      seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(extnValue));
    } catch (IllegalArgumentException e) {
      throw new IOException("decode method list extension " + OID + ": not a SEQUENCE", e);
    }
    List<String> out = new ArrayList<>(seq.size());
    for (ASN1Encodable element : seq) {
      if (!(element instanceof ASN1String s)) {
        throw new IOException(
            "decode method list extension " + OID + ": element is not a string: " + element);
      }
      out.add(s.getString());
    }
    return out;
  }

  /**
   * The method globs {@code cert} grants: empty when it has no such extension.
   *
   * @throws IOException if the extension is present but malformed
   */
  public static List<String> read(X509Certificate cert) throws IOException {
    byte[] wrapped = cert.getExtensionValue(OID);
    if (wrapped == null) {
      return List.of();
    }
    return decode(ASN1OctetString.getInstance(wrapped).getOctets());
  }
}
