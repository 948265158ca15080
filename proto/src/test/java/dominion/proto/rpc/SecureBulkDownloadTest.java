package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.tls.HostVerification;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RpcClient#bulkDownload} against a TLS {@link RpcServer}: it presents the shared HTTP
 * client's certificate and checks the server's as that client does, so every refusal reads as it
 * does through {@link RpcClient#download} (compared call by call).
 */
@Timeout(60)
class SecureBulkDownloadTest {
  record Request(String text, int bytes) {}

  private static final String METHOD = "ObjectServer.GetObjects";

  @TempDir static Path dir;

  private static ExecutorService workers;
  private static TestFleet fleet;
  private static TestFleet otherFleet;
  private static RpcServer server;
  private static final List<HttpClient> https = new ArrayList<>();
  private static final List<RpcServer> servers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    workers = Executors.newVirtualThreadPerTaskExecutor();
    fleet = new TestFleet(dir.resolve("fleet"), "test fleet CA");
    otherFleet = new TestFleet(dir.resolve("other"), "another fleet's CA");
    server =
        serve(fleet.daemon("testserver", fleet.issue("testserver", List.of("127.0.0.1"), METHOD)));
  }

  @AfterAll
  static void stop() {
    servers.forEach(RpcServer::close);
    https.forEach(HttpClient::close);
    workers.close();
  }

  private static RpcServer serve(SecuritySetup daemon) throws Exception {
    return serve(daemon.serverSecurity());
  }

  private static RpcServer serve(ServerSecurity security) throws Exception {
    RpcServer s =
        new RpcServer(new RpcServer.Config("127.0.0.1", 0, "testserver"), security, workers);
    s.download(
        METHOD,
        Request.class,
        "application/octet-stream",
        (req, call, out) -> {
          out.write(("objects for " + call.user()).getBytes(StandardCharsets.UTF_8));
          out.write(pattern(req.bytes()));
        });
    servers.add(s.start());
    return s;
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  private static RpcClient client(HttpClient http, boolean tls, int port) {
    https.add(http);
    return new RpcClient(http, tls, "127.0.0.1", port, Duration.ofSeconds(20));
  }

  private static RpcClient client(SecuritySetup setup, int port) {
    return client(setup.newHttpClient(workers), setup.tls(), port);
  }

  /** Reads a bulk download of {@code bytes} pattern bytes; returns the user the server saw. */
  private static String bulk(RpcClient client, int bytes) throws IOException {
    try (InputStream in = client.bulkDownload(METHOD, new Request("x", bytes))) {
      byte[] all = in.readAllBytes();
      String text = new String(all, 0, all.length - bytes, StandardCharsets.UTF_8);
      assertArrayEquals(pattern(bytes), Arrays.copyOfRange(all, all.length - bytes, all.length));
      return text.substring("objects for ".length());
    }
  }

  /**
   * Calls through the shared client and on a connection of its own; both must fail alike (the
   * messages up to the first {@code stop}, if any). Returns the bulk download's failure.
   */
  private static RpcException refusedAlike(RpcClient client, String stop) {
    Request request = new Request("x", 0);
    RpcException shared =
        assertThrows(RpcException.class, () -> client.download(METHOD, request).close());
    RpcException own = refused(client, 1);
    assertEquals(shared.code(), own.code(), own.toString());
    assertEquals(cut(shared.getMessage(), stop), cut(own.getMessage(), stop));
    return own;
  }

  private static RpcException refusedAlike(RpcClient client) {
    return refusedAlike(client, null);
  }

  private static RpcException refused(RpcClient client, int requestBytes) {
    Request request = new Request("x".repeat(requestBytes), 0);
    return assertThrows(RpcException.class, () -> client.bulkDownload(METHOD, request).close());
  }

  private static String cut(String message, String stop) {
    int at = stop == null ? -1 : message.indexOf(stop);
    return at < 0 ? message : message.substring(0, at);
  }

  @Test
  void eachRoleCallsWithItsCertificate() throws Exception {
    for (Role role : Role.values()) {
      RpcClient client = client(fleet.cli(fleet.issue(role)), server.port());
      if (role.methods().stream().anyMatch(g -> g.matches(METHOD))) {
        assertEquals(role.cliName(), bulk(client, 100));
      } else {
        RpcException e = refusedAlike(client);
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.toString());
      }
    }
  }

  @Test
  void aLargeBodyArrivesWholeOverTls() throws Exception {
    RpcClient admin =
        client(fleet.cli(fleet.issue(Role.ADMIN, "admin2", List.of())), server.port());
    assertEquals("admin2", bulk(admin, 5 << 20));
  }

  @Test
  void aCallWithoutAClientCertificateIsRefusedByTheServer() throws Exception {
    RpcClient anonymous =
        client(
            RpcClients.newHttpClient(Intruders.trustOnly(fleet), Duration.ofSeconds(10), workers),
            true,
            server.port());
    RpcException e = refusedAlike(anonymous);
    assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
    assertTrue(
        e.getMessage().startsWith("permission denied for " + METHOD + ": no client certificate"),
        e.getMessage());
  }

  @Test
  void aServerWithACertificateFromAnotherCaIsRefused() throws Exception {
    RpcServer impostor =
        serve(otherFleet.daemon("impostor", otherFleet.issue("impostor", List.of(), "*")));
    RpcClient admin =
        client(fleet.cli(fleet.issue(Role.ADMIN, "admin3", List.of())), impostor.port());
    RpcException e = refusedAlike(admin);
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(
        e.getMessage().contains("the server's certificate was not issued by this program's CA"),
        e.getMessage());
  }

  @Test
  void aServerCertificateForAnotherHostIsRefused() throws Exception {
    RpcServer elsewhere =
        serve(fleet.daemon("elsewhere", fleet.issue("elsewhere", List.of("127.0.0.2"), "*")));
    RpcClient admin =
        client(fleet.cli(fleet.issue(Role.ADMIN, "admin4", List.of())), elsewhere.port());
    RpcException e = refusedAlike(admin);
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(e.getMessage().contains("not the dialled host 127.0.0.1"), e.getMessage());
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedByTheServer() throws Exception {
    TlsCredentials foreign =
        TlsCredentials.of(
            fleet.ca.certificate(),
            otherFleet.ca.issue(
                IssueRequest.lasting(
                    "mallory",
                    List.of(new MethodGlob("*")),
                    List.of(),
                    fleet.now,
                    Duration.ofDays(1))));
    RpcClient mallory =
        client(SecuritySetup.withCredentials(foreign, HostVerification.IF_NAMED), server.port());
    RpcException e = refusedAlike(mallory);
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(
        e.getMessage().contains("the server refused this program's certificate"), e.getMessage());
    // A request still in flight when the server refuses the certificate: the server reads and
    // drops it until the client has read the alert (LingerAfterFailedHandshake).
    e = refused(mallory, 200_000);
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(
        e.getMessage().contains("the server refused this program's certificate"), e.getMessage());
  }

  @Test
  void tlsToAPlainServerFailsClearly() throws Exception {
    RpcServer plainServer = serve(ServerSecurity.insecure());
    RpcClient admin =
        client(fleet.cli(fleet.issue(Role.ADMIN, "admin5", List.of())), plainServer.port());
    // The JDK's own words in parentheses differ: "Unrecognized SSL message, plaintext
    // connection?" from the shared client's SSLEngine, "Unsupported or unrecognized SSL message"
    // from an SSLSocket.
    RpcException e = refusedAlike(admin, " (");
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(
        e.getMessage()
            .contains(
                "failed: the server does not speak TLS; does it run with --permit-insecure-mode?"),
        e.getMessage());
  }

  @Test
  void plainHttpToTheTlsPortIsRefused() throws Exception {
    RpcClient plain = client(SecuritySetup.plain(), server.port());
    RpcException e = refusedAlike(plain);
    assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
    assertTrue(
        e.getMessage().contains(METHOD + " refused by testserver: plain HTTP on a TLS port"),
        e.getMessage());
  }
}
