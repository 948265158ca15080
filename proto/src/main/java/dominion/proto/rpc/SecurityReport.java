package dominion.proto.rpc;

import dominion.proto.http.Html;
import java.time.Duration;
import java.time.Instant;

/**
 * What every daemon's status page and {@code /metrics} say about its own certificate: which user it
 * runs as and when its certificate expires, so that operators see it and an alert can fire before a
 * fleet's certificates lapse. A daemon's own insecure-mode warning stays its own.
 */
public final class SecurityReport {
  /** The expiry gauge's name after the daemon's metric prefix. */
  public static final String EXPIRY_METRIC = "_tls_certificate_expiry_timestamp_seconds";

  private SecurityReport() {}

  /**
   * The status page's lines: the {@link OwnCertificate#summary() summary}, and a warning when the
   * certificate is due for renewal ({@link OwnCertificate#RENEW_SOON}) or has expired at {@code
   * now}. Empty when insecure (the page shows its own warning then).
   */
  public static String statusHtml(ServerSecurity security, Instant now) {
    if (security.isInsecure()) {
      return "";
    }
    OwnCertificate c = security.certificate();
    if (c == null) {
      return "<p>TLS 1.3</p>";
    }
    StringBuilder html = new StringBuilder("<p>").append(Html.escape(c.summary())).append("</p>");
    if (c.expiredAt(now)) {
      html.append("<p class=\"warn\">CERTIFICATE EXPIRED ")
          .append(Html.escape(c.expiry()))
          .append(": callers refuse this daemon. ");
    } else if (c.dueForRenewalAt(now)) {
      long days = Duration.between(now, c.expiry()).toDays();
      html.append("<p class=\"warn\">CERTIFICATE EXPIRES SOON: ")
          .append(Html.escape(c.expiry()))
          .append(days == 0 ? ", in less than a day. " : ", in " + days + " days. ");
    } else {
      return html.toString();
    }
    return html.append(
            "Issue a new one with certtool issue, install it and restart the daemon.</p>")
        .toString();
  }

  /**
   * The gauge {@code PREFIX}{@value #EXPIRY_METRIC}: the certificate's expiry in Unix seconds, with
   * its HELP and TYPE lines, in Prometheus' text format. Empty when insecure or the certificate is
   * unknown.
   *
   * @param prefix the daemon's metric prefix, such as {@code dominion_subd}
   */
  public static String prometheus(ServerSecurity security, String prefix) {
    OwnCertificate c = security.certificate();
    if (c == null) {
      return "";
    }
    String name = prefix + EXPIRY_METRIC;
    return "# HELP "
        + name
        + " When this daemon's TLS certificate expires, in Unix seconds.\n# TYPE "
        + name
        + " gauge\n"
        + name
        + " "
        + c.expiry().getEpochSecond()
        + "\n";
  }
}
