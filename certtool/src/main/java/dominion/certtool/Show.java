package dominion.certtool;

import dominion.proto.tls.HostNames;
import dominion.proto.tls.Identity;
import dominion.proto.tls.MethodGlob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/** Formats a certificate for people: one "field: value" line each. */
final class Show {
  private Show() {}

  static String join(List<MethodGlob> globs) {
    if (globs.isEmpty()) {
      return "(none: it may call no method)";
    }
    return globs.stream().map(MethodGlob::pattern).collect(Collectors.joining(", "));
  }

  static void print(PrintWriter w, Path file, X509Certificate cert, Instant now)
      throws CertificateException {
    Identity id = Identity.fromCertificate(cert);
    boolean isCa = cert.getBasicConstraints() >= 0;
    List<String> hosts = HostNames.of(cert);
    w.printf(Locale.ROOT, "file:    %s%n", file);
    w.printf(
        Locale.ROOT, "user:    %s%s%n", id.user(), isCa ? " (a CA: it issues certificates)" : "");
    if (!isCa) {
      w.printf(Locale.ROOT, "methods: %s%n", join(id.methods()));
      w.printf(
          Locale.ROOT,
          "hosts:   %s%n",
          hosts.isEmpty()
              ? "(none: any host; clients check the CA only)"
              : String.join(", ", hosts));
    }
    w.printf(Locale.ROOT, "issuer:  %s%n", name(cert.getIssuerX500Principal()));
    w.printf(Locale.ROOT, "serial:  %s%n", cert.getSerialNumber().toString(16));
    Instant from = cert.getNotBefore().toInstant();
    Instant until = cert.getNotAfter().toInstant();
    w.printf(Locale.ROOT, "valid:   %s to %s (%s)%n", from, until, status(now, from, until));
  }

  private static String name(X500Principal p) {
    return p.getName(X500Principal.RFC2253);
  }

  private static String status(Instant now, Instant from, Instant until) {
    if (now.isBefore(from)) {
      return "NOT YET VALID";
    }
    if (now.isAfter(until)) {
      return "EXPIRED";
    }
    long days = Duration.between(now, until).toDays();
    return days == 0 ? "valid, expires within a day" : "valid, " + days + " days left";
  }
}
