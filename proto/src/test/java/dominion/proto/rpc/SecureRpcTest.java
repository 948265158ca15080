package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.http.PageResponse;
import dominion.proto.tls.HostVerification;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsContexts;
import dominion.proto.tls.TlsCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A TLS {@link RpcServer} on loopback with fake handlers for methods of every service, called with
 * each role's certificate, with no certificate, with certificates it must refuse, and in plain
 * HTTP. Every refused call must leave its handler unrun.
 */
@Timeout(60)
class SecureRpcTest {
  record Request(String text) {}

  record Response(String method, String user, long bytes) {}

  /** The unary methods served, one or more per service. */
  private static final List<String> UNARY =
      List.of(
          "ImageServer.AddImage",
          "ImageServer.GetImage",
          "ImageServer.DeleteImage",
          "ObjectServer.CheckObjects",
          "Subd.Poll",
          "Subd.Update",
          "Dominator.DisableUpdates");

  private static final String DOWNLOAD = "ObjectServer.GetObjects";
  private static final String UPLOAD = "ObjectServer.AddObjects";
  private static final List<String> METHODS =
      Stream.concat(UNARY.stream(), Stream.of(DOWNLOAD, UPLOAD)).toList();

  /** What each role may call among {@link #METHODS}, written out from docs/security.md. */
  private static final Map<Role, Set<String>> ALLOWED =
      new EnumMap<>(
          Map.of(
              Role.SUBD, Set.of("ObjectServer.GetObjects"),
              Role.DOMINATOR,
                  Set.of(
                      "Subd.Poll",
                      "Subd.Update",
                      "ImageServer.GetImage",
                      "ObjectServer.CheckObjects"),
              Role.IMAGESERVER,
                  Set.of(
                      "ImageServer.GetImage",
                      "ObjectServer.GetObjects",
                      "ObjectServer.CheckObjects"),
              Role.IMAGE_BUILDER,
                  Set.of(
                      "ImageServer.AddImage",
                      "ImageServer.GetImage",
                      "ObjectServer.AddObjects",
                      "ObjectServer.CheckObjects"),
              Role.MDBD, Set.of(),
              Role.ADMIN, Set.copyOf(METHODS)));

  /** Large enough that a refused upload is still being sent when the answer comes. */
  private static final byte[] UPLOAD_BODY = new byte[4 << 20];

  @TempDir static Path dir;

  private static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private static ExecutorService workers;
  private static TestFleet fleet;
  private static TestFleet otherFleet;
  private static RpcServer server;
  private static final Map<Role, RpcClient> clients = new EnumMap<>(Role.class);
  private static final List<HttpClient> https = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    workers = Executors.newVirtualThreadPerTaskExecutor();
    fleet = new TestFleet(dir.resolve("fleet"), "test fleet CA");
    otherFleet = new TestFleet(dir.resolve("other"), "another fleet's CA");
    SecuritySetup daemon =
        fleet.daemon(
            "testserver",
            fleet.issue("testserver", List.of("127.0.0.1"), "ObjectServer.GetObjects"));
    server = serve(daemon.serverSecurity());
    for (Role role : Role.values()) {
      clients.put(role, client(fleet.cli(fleet.issue(role))));
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    https.forEach(HttpClient::close);
    workers.close();
  }

  static RpcServer serve(ServerSecurity security) throws Exception {
    RpcServer s =
        new RpcServer(new RpcServer.Config("127.0.0.1", 0, "testserver"), security, workers);
    for (String method : UNARY) {
      s.unary(
          method,
          Request.class,
          (req, call) -> {
            ran(method);
            return new Response(method, call.user(), 0);
          });
    }
    s.download(
        DOWNLOAD,
        Request.class,
        "application/octet-stream",
        (req, call, out) -> {
          ran(DOWNLOAD);
          out.write(("objects for " + call.user()).getBytes(StandardCharsets.UTF_8));
        });
    s.upload(
        UPLOAD,
        (in, call) -> {
          ran(UPLOAD);
          return new Response(UPLOAD, call.user(), in.transferTo(OutputStream.nullOutputStream()));
        });
    s.page("/healthz", q -> PageResponse.text("ok\n"));
    return s.start();
  }

  private static void ran(String method) {
    runs.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
  }

  private static int runs(String method) {
    AtomicInteger n = runs.get(method);
    return n == null ? 0 : n.get();
  }

  private static RpcClient client(SecuritySetup setup) {
    return client(setup, server.port());
  }

  private static RpcClient client(SecuritySetup setup, int port) {
    HttpClient http = setup.newHttpClient(workers);
    https.add(http);
    return setup.client(http, "127.0.0.1", port, Duration.ofSeconds(20));
  }

  /** Calls {@code method} as its kind requires; returns the user the handler saw. */
  private static String invoke(RpcClient client, String method) throws IOException {
    if (method.equals(DOWNLOAD)) {
      try (InputStream in = client.download(method, new Request("x"))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8)
            .substring("objects for ".length());
      }
    }
    Response r =
        method.equals(UPLOAD)
            ? client.upload(
                method, Map.of(), () -> new ByteArrayInputStream(UPLOAD_BODY), Response.class)
            : client.call(method, new Request("x"), Response.class);
    assertEquals(method, r.method());
    if (method.equals(UPLOAD)) {
      assertEquals(UPLOAD_BODY.length, r.bytes());
    }
    return r.user();
  }

  /** Calls that must be refused before any handler runs; returns the failure. */
  private static RpcException refused(RpcClient client, String method) {
    int before = runs(method);
    RpcException e = assertThrows(RpcException.class, () -> invoke(client, method));
    assertEquals(before, runs(method), method + " ran although the call was refused");
    return e;
  }

  static Stream<Arguments> roleAndMethod() {
    return Stream.of(Role.values())
        .flatMap(role -> METHODS.stream().map(method -> Arguments.of(role, method)));
  }

  @ParameterizedTest(name = "{0} calls {1}")
  @MethodSource("roleAndMethod")
  void eachRoleMayCallExactlyItsMethods(Role role, String method) throws IOException {
    RpcClient client = clients.get(role);
    if (ALLOWED.get(role).contains(method)) {
      int before = runs(method);
      assertEquals(role.cliName(), invoke(client, method));
      assertEquals(before + 1, runs(method));
    } else {
      RpcException e = refused(client, method);
      assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.toString());
      assertEquals(
          "permission denied for "
              + method
              + ": user "
              + role.cliName()
              + " may call only "
              + role.methods(),
          e.getMessage());
    }
  }

  @Test
  void theRoleTableCoversEveryRole() {
    assertEquals(Set.of(Role.values()), ALLOWED.keySet());
  }

  @Test
  void aConnectionStaysUsableForTheRightUserAfterARefusal() throws IOException {
    RpcClient dominator = clients.get(Role.DOMINATOR);
    for (int i = 0; i < 3; i++) {
      refused(dominator, "ImageServer.AddImage");
      // The refusal closed the connection; the next one may resume the TLS session.
      assertEquals("dominator", invoke(dominator, "Subd.Poll"));
    }
  }

  @Test
  void callsWithoutACertificateAreUnauthenticatedButHealthIsReadable() throws Exception {
    HttpClient http =
        RpcClients.newHttpClient(Intruders.trustOnly(fleet), Duration.ofSeconds(10), workers);
    https.add(http);
    RpcClient anonymous =
        new RpcClient(http, true, "127.0.0.1", server.port(), Duration.ofSeconds(20));
    for (String method : List.of("ImageServer.AddImage", UPLOAD, DOWNLOAD)) {
      RpcException e = refused(anonymous, method);
      assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
      assertTrue(
          e.getMessage().startsWith("permission denied for " + method + ": no client certificate"),
          e.getMessage());
    }
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
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
    RpcClient mallory = client(SecuritySetup.withCredentials(foreign, HostVerification.IF_NAMED));
    RpcException e = refused(mallory, "ImageServer.AddImage");
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(
        e.getMessage().contains("the server refused this program's certificate"), e.getMessage());
    // An upload is still sending when the server refuses the certificate; the server reads and
    // drops what comes until the client has read its alert, so the client always learns why.
    for (int i = 0; i < 20; i++) {
      RpcException upload = refused(mallory, UPLOAD);
      assertEquals(ErrorCode.UNAVAILABLE, upload.code(), upload.toString());
      assertTrue(
          upload.getMessage().contains("the server refused this program's certificate"),
          "upload " + i + ": " + upload.getMessage());
    }
  }

  @Test
  void anExpiredCertificateIsRefusedInTheHandshake() throws Exception {
    TlsCredentials expired =
        TlsCredentials.of(fleet.ca.certificate(), fleet.expiredCertificate("old-admin", "*"));
    RpcClient old = client(SecuritySetup.withCredentials(expired, HostVerification.IF_NAMED));
    RpcException e = refused(old, "ImageServer.DeleteImage");
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
    assertTrue(
        e.getMessage().contains("the server refused this program's certificate"), e.getMessage());
  }

  @Test
  void aServerWithACertificateFromAnotherCaIsRefusedByClients() throws Exception {
    SecuritySetup impostor =
        otherFleet.daemon("impostor", otherFleet.issue("impostor", List.of(), "*"));
    try (RpcServer other = serve(impostor.serverSecurity())) {
      RpcClient admin = client(fleet.cli(fleet.dir.resolve("admin")), other.port());
      RpcException e = refused(admin, "ImageServer.AddImage");
      assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
      assertTrue(
          e.getMessage().contains("the server's certificate was not issued by this program's CA"),
          e.getMessage());
    }
  }

  @Test
  void plainHttpToTheTlsPortIsRefused() throws Exception {
    RpcClient plain = client(SecuritySetup.plain());
    for (String method : List.of("ImageServer.AddImage", UPLOAD, DOWNLOAD)) {
      RpcException e = refused(plain, method);
      assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
      assertTrue(
          e.getMessage().contains(method + " refused by testserver: plain HTTP on a TLS" + " port"),
          e.getMessage());
    }
    HttpClient http = SecuritySetup.plain().newHttpClient(workers);
    https.add(http);
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, health.statusCode());
    assertTrue(health.body().contains("TLS"), health.body());
  }

  @Test
  void tlsToAPlainServerFailsClearly() throws Exception {
    try (RpcServer plainServer = serve(ServerSecurity.insecure())) {
      RpcClient admin = client(fleet.cli(fleet.dir.resolve("admin")), plainServer.port());
      for (String method : List.of("ImageServer.AddImage", UPLOAD, DOWNLOAD)) {
        RpcException e = refused(admin, method);
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
        assertTrue(
            e.getMessage()
                .contains(
                    method
                        + " to 127.0.0.1:"
                        + plainServer.port()
                        + " failed: the server does not speak TLS; does it run with"
                        + " --permit-insecure-mode?"),
            e.getMessage());
      }
    }
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aCertificateIsRefusedOnceItExpiresEvenOnAConnectionMadeBefore() throws Exception {
    MovableClock clock = new MovableClock();
    Path serverDir = fleet.dir.resolve("testserver");
    TlsCredentials credentials = fleet.credentials(serverDir);
    try (RpcServer timed =
        serve(new ServerSecurity.Tls(TlsContexts.nettyServer(credentials), clock))) {
      RpcClient admin = client(fleet.cli(fleet.dir.resolve("admin")), timed.port());
      assertEquals("admin", invoke(admin, "Subd.Poll"));
      clock.set(fleet.now.plus(Duration.ofDays(21)));
      RpcException e = refused(admin, "Subd.Poll");
      assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "permission denied for Subd.Poll: client certificate" + " \"admin\" expired "),
          e.getMessage());
      clock.set(fleet.now.minus(Duration.ofDays(1)));
      e = refused(admin, "Subd.Poll");
      assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
      assertTrue(e.getMessage().contains("is not valid until"), e.getMessage());
    }
  }
}
