package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.tls.IssuedCertificate;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SecuritySetupTest {
  record Request(String text) {}

  record Response(String user) {}

  @TempDir static Path dir;

  private static TestFleet fleet;
  private static Path subd;
  private static Path expired;

  @BeforeAll
  static void makeFleet() throws IOException {
    fleet = new TestFleet(dir.resolve("fleet"), "test fleet CA");
    subd = fleet.issue(Role.SUBD);
    expired = fleet.expired("old", "*");
  }

  private static Path cert(Path certDir) {
    return certDir.resolve(IssuedCertificate.CERT_FILE);
  }

  private static Path key(Path certDir) {
    return certDir.resolve(IssuedCertificate.KEY_FILE);
  }

  @Test
  void aDaemonWithItsFilesRunsTls() throws Exception {
    SecuritySetup s = SecuritySetup.forDaemon("subd", fleet.caFile(), cert(subd), key(subd), false);
    assertTrue(s.tls());
    assertFalse(s.insecure());
    assertInstanceOf(ServerSecurity.Tls.class, s.serverSecurity());
    assertNotNull(s.clientContext());
    assertEquals("subd", s.identity().user());
    assertTrue(s.summary().startsWith("TLS 1.3 as user \"subd\""), s.summary());
  }

  @Test
  void permitInsecureModeDoesNotTurnOffTlsWhenTheFilesAreThere() throws Exception {
    assertTrue(SecuritySetup.forDaemon("subd", fleet.caFile(), cert(subd), key(subd), true).tls());
  }

  @Test
  void aDaemonMissingFilesRefusesToStartNamingThemAndTheFlag() {
    Path none = dir.resolve("nowhere");
    TlsException e =
        assertThrows(
            TlsException.class,
            () -> SecuritySetup.forDaemon("subd", fleet.caFile(), cert(none), key(none), false));
    assertTrue(
        e.getMessage()
            .startsWith(
                "start subd with TLS: missing TLS files: certificate "
                    + cert(none)
                    + " (--cert), private key "
                    + key(none)
                    + " (--key)"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                ", or run with --permit-insecure-mode to serve plain HTTP"
                    + " without authentication (never on a network)"),
        e.getMessage());
    assertFalse(e.getMessage().contains("CA certificate"), e.getMessage());
  }

  @Test
  void aDaemonMissingFilesRunsInsecureWhenPermitted() throws Exception {
    Path none = dir.resolve("nowhere");
    SecuritySetup s =
        SecuritySetup.forDaemon("subd", none.resolve("CA.pem"), cert(none), key(none), true);
    assertTrue(s.insecure());
    assertFalse(s.tls());
    assertTrue(s.serverSecurity().isInsecure());
    assertNull(s.clientContext());
    assertNull(s.identity());
    assertNull(s.certificateExpiry());
    assertTrue(
        s.summary().startsWith("INSECURE: subd runs with --permit-insecure-mode"), s.summary());
  }

  @Test
  void anExpiredCertificateStopsADaemonEvenWhenInsecureModeIsPermitted() {
    for (boolean permit : new boolean[] {false, true}) {
      TlsException e =
          assertThrows(
              TlsException.class,
              () ->
                  SecuritySetup.forDaemon(
                      "subd", fleet.caFile(), cert(expired), key(expired), permit));
      assertTrue(e.getMessage().startsWith("start subd with TLS: TLS files "), e.getMessage());
      assertTrue(e.getMessage().contains("certificate \"old\": expired"), e.getMessage());
      assertEquals(
          permit, e.getMessage().contains("applies only when files are missing"), e.getMessage());
    }
  }

  @Test
  void aCliWithoutFilesNamesThemAndItsFlag() {
    Path none = dir.resolve("nowhere");
    TlsException e =
        assertThrows(
            TlsException.class,
            () -> SecuritySetup.forCli(none.resolve("CA.pem"), cert(none), key(none), false));
    assertTrue(
        e.getMessage()
            .startsWith(
                "missing TLS files: CA certificate "
                    + none.resolve("CA.pem")
                    + " (--ca), certificate "),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                ", or run with --insecure to call daemons that run with"
                    + " --permit-insecure-mode"),
        e.getMessage());
  }

  @Test
  void anInsecureCliReadsNoFiles() throws Exception {
    Path none = dir.resolve("nowhere");
    SecuritySetup s = SecuritySetup.forCli(none, none, none, true);
    assertTrue(s.insecure());
    assertNull(s.clientContext());
  }

  @Test
  void anExpiredCliCertificateIsRefused() {
    TlsException e = assertThrows(TlsException.class, () -> fleet.cli(expired));
    assertTrue(e.getMessage().contains("certificate \"old\": expired"), e.getMessage());
  }

  @Test
  void aCliCallsADaemonWithItsCertificate() throws Exception {
    SecuritySetup daemon =
        fleet.daemon(
            "testserver",
            fleet.issue("testserver", List.of("127.0.0.1"), "ObjectServer.GetObjects"));
    SecuritySetup cli = fleet.cli(fleet.issue("alice", List.of(), "Test.*"));
    // A CLI serves nothing, so its setup builds no server context.
    assertThrows(IllegalStateException.class, cli::serverSecurity);
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        RpcServer server =
            new RpcServer(
                new RpcServer.Config("127.0.0.1", 0, "testserver"),
                daemon.serverSecurity(),
                workers)) {
      server.unary("Test.WhoAmI", Request.class, (req, call) -> new Response(call.user()));
      server.start();
      try (var http = cli.newHttpClient(workers)) {
        RpcClient client = cli.client(http, "127.0.0.1", server.port(), Duration.ofSeconds(20));
        assertEquals("alice", client.call("Test.WhoAmI", new Request("x"), Response.class).user());
      }
    }
  }
}
