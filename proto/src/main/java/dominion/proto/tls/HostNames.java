package dominion.proto.tls;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names and IP addresses in certificates (SubjectAltName dNSName and iPAddress), and the check
 * that a dialled host is one of them. Names compare case-insensitively and exactly (no wildcards);
 * IP addresses compare as addresses, so {@code ::1} matches {@code 0:0:0:0:0:0:0:1}. Nothing here
 * resolves names.
 */
public final class HostNames {
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
  private static final Pattern IPV4_SHAPE = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private HostNames() {}

  /**
   * Checks that {@code host} is a DNS name or an IP address literal.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static void validate(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("bad host \"\": give a DNS name or an IP address");
    }
    if (ipBytes(host) == null && (host.length() > 253 || !DNS_NAME.matcher(host).matches())) {
      throw new IllegalArgumentException(
          "bad host \""
              + host
              + "\": not a DNS name (letters, digits, '-', dots) or an IP address");
    }
  }

  /** The address bytes of an IP literal ({@code [::1]} brackets allowed), or null for a name. */
  public static byte[] ipBytes(String host) {
    String h = host;
    if (h.length() > 2 && h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') < 0 && !IPV4_SHAPE.matcher(h).matches()) {
      return null;
    }
    try {
      // ofLiteral parses only literals: it never looks a name up.
      return InetAddress.ofLiteral(h).getAddress();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The DNS names and IP addresses (as written by the JDK) in {@code cert}'s SubjectAltName. */
  public static List<String> of(X509Certificate cert) throws CertificateParsingException {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    List<String> out = new ArrayList<>();
    if (sans == null) {
      return out;
    }
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      if (type == SAN_DNS || type == SAN_IP) {
        out.add((String) san.get(1));
      }
    }
    return out;
  }

  /** Whether the dialled {@code host} is one of {@code names} (from {@link #of}). */
  public static boolean matches(String host, List<String> names) {
    byte[] ip = ipBytes(host);
    for (String name : names) {
      if (ip != null) {
        byte[] other = ipBytes(name);
        if (other != null && Arrays.equals(ip, other)) {
          return true;
        }
      } else if (name.toLowerCase(Locale.ROOT).equals(stripDot(host).toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static String stripDot(String host) {
    // "host.example." (fully qualified, trailing dot) names the same host as "host.example".
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
