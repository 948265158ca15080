package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dominion.proto.tls.IssuedCertificate;
import dominion.proto.tls.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every daemon's security must do, tested through the daemon's own command line on real
 * sockets (SYSTEM.md section 6, docs/security.md):
 *
 * <ul>
 *   <li>without its TLS files and without {@code --permit-insecure-mode} it refuses to start,
 *       naming each missing file; files that are present but wrong stop it even with the flag;
 *   <li>with the flag and no files it starts insecure and its status page says so;
 *   <li>with its files it runs TLS, even when the flag is given;
 *   <li>its status page, {@code /metrics} and {@code /healthz} are readable without a certificate;
 *   <li>its status page shows its certificate's user and expiry, and {@code /metrics} the expiry
 *       (none when insecure);
 *   <li>every RPC that changes its state is refused to each of the {@link Intruders}, with a clear
 *       error and nothing changed, and works for the role meant to call it.
 * </ul>
 *
 * A daemon's test extends this class and says how to start the daemon and what its state is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class DaemonSecurityContract {
  /**
   * A started daemon.
   *
   * @param daemon closes it
   * @param dir the directory it was started in
   * @param port its port on 127.0.0.1
   */
  public record Running(AutoCloseable daemon, Path dir, int port) {}

  /** A call of one of the daemon's RPCs. */
  public interface Call {
    void call(RpcClient client) throws Exception;
  }

  /**
   * An RPC that changes the daemon's state.
   *
   * @param method {@code Service.Method}
   * @param call makes the call (the request must be one the daemon accepts from a rightful caller)
   * @param changesState whether the rightful call changes {@link #state}; false for a call whose
   *     effect this test cannot arrange (its refusal is still checked)
   */
  public record Mutation(String method, Call call, boolean changesState) {}

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The test's directory: the fleet's CA and certificates, and each started daemon's files. */
  protected Path dir;

  protected TestFleet fleet;
  protected ExecutorService workers;
  private Intruders intruders;
  private Running shared;
  private SecuritySetup rightful;
  private SecuritySetup admin;
  private HttpClient rightfulHttp;
  private HttpClient adminHttp;
  private final AtomicInteger runs = new AtomicInteger();

  /** The daemon's name: its directory under {@code /etc/ssl} and its name in messages. */
  protected abstract String daemon();

  /** The role of the daemon's own certificate. */
  protected abstract Role ownRole();

  /** The role meant to call the {@link #mutations()}. */
  protected abstract Role rightfulRole();

  /**
   * Parses the daemon's command line, with its other flags pointing into {@code dir}, port 0 (or a
   * free port) on 127.0.0.1, and {@code securityFlags}, and starts it as its main class would.
   *
   * @param err where the main class prints why it refuses to start
   * @return the running daemon, or null if the main class refused to start it
   */
  protected abstract Running start(Path dir, List<String> securityFlags, PrintWriter err)
      throws Exception;

  /** The daemon's RPCs that change state, in the order to test them; empty if it has none. */
  protected abstract List<Mutation> mutations();

  /**
   * What the {@link #mutations()} change, comparable with {@code equals}.
   *
   * @param admin a client of the daemon with an admin certificate, for reads
   */
  protected abstract Object state(Running daemon, RpcClient admin) throws Exception;

  @BeforeAll
  void startSharedDaemon(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    workers = Executors.newVirtualThreadPerTaskExecutor();
    fleet = new TestFleet(dir.resolve("fleet"), "test fleet CA");
    intruders = new Intruders(fleet, workers);
    rightful = fleet.cli(fleet.issue(rightfulRole(), "rightful", List.of()));
    admin = fleet.cli(fleet.issue(Role.ADMIN, "test-admin", List.of()));
    rightfulHttp = rightful.newHttpClient(workers);
    adminHttp = admin.newHttpClient(workers);
    shared = startOrFail(fleet.flags(ownCertificate()));
  }

  @AfterAll
  void stopSharedDaemon() throws Exception {
    if (shared != null) {
      shared.daemon().close();
    }
    if (intruders != null) {
      intruders.close();
    }
    for (HttpClient h : new HttpClient[] {rightfulHttp, adminHttp}) {
      if (h != null) {
        h.shutdownNow();
      }
    }
    workers.shutdownNow();
  }

  /** The daemon the contract's calls go to: started once, with its certificate. */
  protected Running shared() {
    return shared;
  }

  /** A client of {@link #shared()} with a certificate of {@link #rightfulRole()}. */
  protected RpcClient rightfulClient() {
    return client(rightful, rightfulHttp, shared.port());
  }

  /** The daemon's certificate, for 127.0.0.1 (issued once). */
  protected Path ownCertificate() throws IOException {
    Path certDir = fleet.dir.resolve(daemon());
    if (Files.isDirectory(certDir)) {
      return certDir;
    }
    return fleet.issue(ownRole(), daemon(), List.of("127.0.0.1"));
  }

  private Path newDir() throws IOException {
    return Files.createDirectories(dir.resolve("run-" + runs.incrementAndGet()));
  }

  private Running startOrFail(List<String> securityFlags) throws Exception {
    StringWriter err = new StringWriter();
    Running r = start(newDir(), securityFlags, new PrintWriter(err, true));
    assertNotNull(r, daemon() + " refused to start: " + err);
    return r;
  }

  /** Starts the daemon expecting a refusal; returns what it printed. */
  private String refusal(List<String> securityFlags) throws Exception {
    StringWriter err = new StringWriter();
    Running r = start(newDir(), securityFlags, new PrintWriter(err, true));
    if (r != null) {
      r.daemon().close();
      fail(daemon() + " started although it must refuse to with " + securityFlags);
    }
    return err.toString();
  }

  private List<String> missingFlags(Path where) {
    return List.of(
        "--ca",
        where.resolve("CA.pem").toString(),
        "--cert",
        where.resolve(IssuedCertificate.CERT_FILE).toString(),
        "--key",
        where.resolve(IssuedCertificate.KEY_FILE).toString());
  }

  private static List<String> with(List<String> flags, String... more) {
    List<String> out = new ArrayList<>(flags);
    out.addAll(List.of(more));
    return out;
  }

  /** GETs {@code path} from the daemon; {@code https} with {@code http}'s TLS, else plain. */
  protected static HttpResponse<String> get(HttpClient http, boolean https, int port, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create((https ? "https" : "http") + "://127.0.0.1:" + port + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A client of the daemon at {@code port} calling as {@code setup}'s user. */
  private static RpcClient client(SecuritySetup setup, HttpClient http, int port) {
    return setup.client(http, "127.0.0.1", port, WAIT);
  }

  @Test
  void refusesToStartWithoutItsFilesNamingEachMissingFile() throws Exception {
    Path none = dir.resolve("nowhere");
    String err = refusal(missingFlags(none));
    for (String file : List.of("CA.pem", "cert.pem", "key.pem")) {
      assertTrue(err.contains(none.resolve(file).toString()), err);
    }
    assertTrue(err.contains("CA certificate " + none.resolve("CA.pem") + " (--ca)"), err);
    assertTrue(err.contains("--permit-insecure-mode"), err);
  }

  @Test
  void namesOnlyTheFileThatIsMissing() throws Exception {
    Path own = ownCertificate();
    Path missingKey = dir.resolve("nowhere/key.pem");
    String err =
        refusal(
            List.of(
                "--ca",
                fleet.caFile().toString(),
                "--cert",
                own.resolve(IssuedCertificate.CERT_FILE).toString(),
                "--key",
                missingKey.toString()));
    assertTrue(err.contains("private key " + missingKey + " (--key)"), err);
    assertFalse(err.contains(fleet.caFile().toString()), err);
  }

  @Test
  void filesThatArePresentButExpiredStopItEvenWithTheFlag() throws Exception {
    Path old = fleet.expired(daemon() + "-expired", "*");
    String err = refusal(with(fleet.flags(old), SecuritySetup.PERMIT_INSECURE_FLAG));
    assertTrue(err.contains("expired"), err);
    assertTrue(err.contains("applies only when files are missing"), err);
  }

  @Test
  void startsInsecureWithTheFlagAndSaysSoOnItsStatusPage() throws Exception {
    Running r =
        startOrFail(with(missingFlags(dir.resolve("nowhere")), SecuritySetup.PERMIT_INSECURE_FLAG));
    try (HttpClient plain = SecuritySetup.plain().newHttpClient(workers)) {
      HttpResponse<String> page = get(plain, false, r.port(), "/");
      assertEquals(200, page.statusCode(), page.body());
      assertTrue(page.body().contains("INSECURE"), page.body());
      assertTrue(page.body().contains(SecuritySetup.PERMIT_INSECURE_FLAG), page.body());
      assertEquals(200, get(plain, false, r.port(), "/healthz").statusCode());
      HttpResponse<String> metrics = get(plain, false, r.port(), "/metrics");
      assertEquals(200, metrics.statusCode(), metrics.body());
      assertFalse(metrics.body().contains(SecurityReport.EXPIRY_METRIC), metrics.body());
    } finally {
      r.daemon().close();
    }
  }

  @Test
  void startsTlsWithItsFilesEvenWhenTheFlagIsGiven() throws Exception {
    Running r =
        startOrFail(with(fleet.flags(ownCertificate()), SecuritySetup.PERMIT_INSECURE_FLAG));
    try (HttpClient plain = SecuritySetup.plain().newHttpClient(workers)) {
      HttpResponse<String> page = get(intruders.anonymous(), true, r.port(), "/");
      assertEquals(200, page.statusCode(), page.body());
      assertFalse(page.body().contains("INSECURE"), page.body());
      HttpResponse<String> refused = get(plain, false, r.port(), "/");
      assertEquals(401, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("plain HTTP on a TLS port"), refused.body());
    } finally {
      r.daemon().close();
    }
  }

  @Test
  void statusPageMetricsAndHealthAreReadableWithoutACertificate() throws Exception {
    for (String path : List.of("/", "/metrics", "/healthz")) {
      HttpResponse<String> page = get(intruders.anonymous(), true, shared.port(), path);
      assertEquals(200, page.statusCode(), path + ": " + page.body());
      assertFalse(page.body().isEmpty(), path);
    }
  }

  @Test
  void statusPageAndMetricsShowItsUserAndCertificateExpiry() throws Exception {
    Instant expiry = fleet.daemon(daemon(), ownCertificate()).certificateExpiry();
    HttpResponse<String> page = get(intruders.anonymous(), true, shared.port(), "/");
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(
        page.body()
            .contains(
                "<p>TLS 1.3 as user &quot;"
                    + daemon()
                    + "&quot;, certificate expires "
                    + expiry
                    + "</p>"),
        page.body());
    // Issued for 20 days: not yet due for renewal.
    assertFalse(page.body().contains("CERTIFICATE EXPIRE"), page.body());
    HttpResponse<String> metrics = get(intruders.anonymous(), true, shared.port(), "/metrics");
    assertEquals(200, metrics.statusCode(), metrics.body());
    String name = "[a-z_]+" + SecurityReport.EXPIRY_METRIC;
    assertTrue(
        Pattern.compile("(?m)^# TYPE " + name + " gauge$").matcher(metrics.body()).find(),
        metrics.body());
    assertTrue(
        Pattern.compile("(?m)^" + name + " " + expiry.getEpochSecond() + "$")
            .matcher(metrics.body())
            .find(),
        metrics.body());
  }

  // Dynamic tests are outside @Timeout: each has its own.
  @TestFactory
  Stream<DynamicTest> everyStateChangeIsRefusedToIntrudersAndChangesNothing() {
    List<DynamicTest> tests = new ArrayList<>();
    RpcClient reader = client(admin, adminHttp, shared.port());
    for (Mutation m : mutations()) {
      for (Intruders.Intruder intruder : intruders.against("127.0.0.1", shared.port())) {
        tests.add(
            DynamicTest.dynamicTest(
                intruder + " calls " + m.method(),
                () ->
                    assertTimeoutPreemptively(
                        WAIT,
                        () -> {
                          Object before = state(shared, reader);
                          RpcException e =
                              assertThrows(
                                  RpcException.class, () -> m.call().call(intruder.client()));
                          intruder.assertRefused(m.method(), e);
                          assertEquals(
                              before, state(shared, reader), m.method() + " changed state");
                        })));
      }
      tests.add(
          DynamicTest.dynamicTest(
              rightfulRole().cliName() + " calls " + m.method(),
              () ->
                  assertTimeoutPreemptively(
                      WAIT.multipliedBy(2),
                      () -> {
                        Object before = state(shared, reader);
                        m.call().call(rightfulClient());
                        if (m.changesState()) {
                          awaitChange(before, reader, m.method());
                        }
                      })));
    }
    return tests.stream();
  }

  private void awaitChange(Object before, RpcClient reader, String method) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (before.equals(state(shared, reader))) {
      if (System.nanoTime() > deadline) {
        fail(method + " by its rightful caller did not change the state: " + before);
      }
      Thread.sleep(50);
    }
  }
}
