package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.tls.HostVerification;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityReportTest {
  @TempDir static Path dir;

  private static TestFleet fleet;
  private static SecuritySetup subd;

  @BeforeAll
  static void makeFleet() throws IOException {
    fleet = new TestFleet(dir.resolve("fleet"), "test fleet CA");
    subd = fleet.daemon("subd", fleet.issue(Role.SUBD));
  }

  private static Instant expiry() {
    return subd.certificateExpiry();
  }

  @Test
  void theStatusPageShowsTheUserAndExpiry() {
    String html = SecurityReport.statusHtml(subd.serverSecurity(), fleet.now);
    assertEquals(
        "<p>TLS 1.3 as user &quot;subd&quot;, certificate expires " + expiry() + "</p>", html);
    assertEquals(
        subd.summary(), subd.serverSecurity().certificate().summary(), "the log's line too");
  }

  @Test
  void warnsWhenTheCertificateIsDueForRenewal() {
    String html =
        SecurityReport.statusHtml(subd.serverSecurity(), expiry().minus(Duration.ofDays(10)));
    assertTrue(html.startsWith("<p>TLS 1.3 as user &quot;subd&quot;"), html);
    assertTrue(
        html.contains(
            "<p class=\"warn\">CERTIFICATE EXPIRES SOON: "
                + expiry()
                + ", in 10 days. Issue a new one with certtool issue"),
        html);
  }

  @Test
  void doesNotWarnJustBeforeTheRenewalPeriod() {
    Instant before = expiry().minus(OwnCertificate.RENEW_SOON).minusSeconds(1);
    assertFalse(SecurityReport.statusHtml(subd.serverSecurity(), before).contains("warn"));
  }

  @Test
  void warnsWhenTheCertificateHasExpired() {
    String html = SecurityReport.statusHtml(subd.serverSecurity(), expiry().plusSeconds(1));
    assertTrue(
        html.contains("<p class=\"warn\">CERTIFICATE EXPIRED " + expiry() + ": callers refuse"),
        html);
  }

  @Test
  void warnsForACertificateIssuedForLessThanTheRenewalPeriod() throws Exception {
    TlsCredentials shortLived =
        TlsCredentials.of(
            fleet.ca.certificate(),
            fleet.ca.issue(
                IssueRequest.lasting(
                    "imageserver",
                    Role.IMAGESERVER.methods(),
                    List.of(),
                    Instant.now(),
                    Duration.ofDays(3))));
    ServerSecurity security =
        SecuritySetup.withCredentials(shortLived, HostVerification.IF_NAMED).serverSecurity();
    String html = SecurityReport.statusHtml(security, Instant.now());
    assertTrue(html.contains("as user &quot;imageserver&quot;"), html);
    assertTrue(html.contains("CERTIFICATE EXPIRES SOON"), html);
  }

  @Test
  void metricsHaveTheExpiryInUnixSeconds() {
    assertEquals(
        "# HELP dominion_subd_tls_certificate_expiry_timestamp_seconds When this daemon's TLS"
            + " certificate expires, in Unix seconds.\n"
            + "# TYPE dominion_subd_tls_certificate_expiry_timestamp_seconds gauge\n"
            + "dominion_subd_tls_certificate_expiry_timestamp_seconds "
            + expiry().getEpochSecond()
            + "\n",
        SecurityReport.prometheus(subd.serverSecurity(), "dominion_subd"));
  }

  @Test
  void insecureShowsNoCertificateAndNoMetric() {
    ServerSecurity insecure = SecuritySetup.plain().serverSecurity();
    assertEquals("", SecurityReport.statusHtml(insecure, Instant.now()));
    assertEquals("", SecurityReport.prometheus(insecure, "dominion_subd"));
  }
}
