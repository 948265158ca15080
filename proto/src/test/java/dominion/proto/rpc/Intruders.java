package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.tls.HostVerification;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsContexts;
import dominion.proto.tls.TlsCredentials;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The callers a daemon that runs TLS must refuse, each with the refusal it must get: no
 * certificate, a certificate from another fleet's CA, an expired one, one that lacks the method
 * (the subd role's), and plain HTTP. For the daemons' tests, through proto's test-jar.
 */
public final class Intruders implements AutoCloseable {
  /** The user of the certificate that lacks the methods under test: it has the subd role's. */
  public static final String LACKING_USER = "intruder";

  /** The kinds of caller that must be refused. */
  public enum Kind {
    NO_CERTIFICATE("no certificate"),
    OTHER_CA("a certificate from another CA"),
    EXPIRED("an expired certificate"),
    LACKS_METHOD("a certificate lacking the method"),
    PLAIN_HTTP("plain HTTP");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** One refused caller of a daemon. */
  public record Intruder(Kind kind, RpcClient client) {
    /** Fails unless {@code e} is the clear refusal this caller must get for {@code method}. */
    public void assertRefused(String method, RpcException e) {
      String m = e.getMessage();
      switch (kind) {
        case NO_CERTIFICATE -> {
          assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
          assertTrue(
              m.startsWith("permission denied for " + method + ": no client certificate"), m);
        }
        case OTHER_CA, EXPIRED -> {
          assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.toString());
          assertTrue(m.contains("the server refused this program's certificate"), m);
        }
        case LACKS_METHOD -> {
          assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.toString());
          assertEquals(
              "permission denied for "
                  + method
                  + ": user "
                  + LACKING_USER
                  + " may call only "
                  + Role.SUBD.methods(),
              m);
        }
        case PLAIN_HTTP -> {
          assertEquals(ErrorCode.UNAUTHENTICATED, e.code(), e.toString());
          assertTrue(m.contains(method + " refused by "), m);
          assertTrue(m.contains("plain HTTP on a TLS port"), m);
        }
      }
    }

    @Override
    public String toString() {
      return kind.toString();
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient anonymous;
  private final HttpClient otherCa;
  private final HttpClient expired;
  private final HttpClient lacking;
  private final HttpClient plain;

  /**
   * Issues the intruders' certificates: from {@code fleet}'s CA (expired, and one with the subd
   * role's methods as user {@value #LACKING_USER}) and from a new CA in {@code fleet.dir/other-ca}.
   */
  public Intruders(TestFleet fleet, ExecutorService executor) throws IOException {
    // The HTTP clients run on the caller's executor; close() does not shut it down.
    TestFleet other = new TestFleet(fleet.dir.resolve("other-ca"), "another fleet's CA");
    TlsCredentials foreign =
        TlsCredentials.of(
            fleet.ca.certificate(),
            other.ca.issue(
                IssueRequest.lasting(
                    "mallory",
                    List.of(new MethodGlob("*")),
                    List.of(),
                    fleet.now,
                    Duration.ofDays(1))));
    TlsCredentials old =
        TlsCredentials.of(
            fleet.ca.certificate(), fleet.expiredCertificate("intruder-expired", "*"));
    this.anonymous =
        RpcClients.newHttpClient(trustOnly(fleet), SecuritySetup.CONNECT_TIMEOUT, executor);
    this.otherCa =
        SecuritySetup.withCredentials(foreign, HostVerification.IF_NAMED).newHttpClient(executor);
    this.expired =
        SecuritySetup.withCredentials(old, HostVerification.IF_NAMED).newHttpClient(executor);
    this.lacking =
        fleet.cli(fleet.issue(Role.SUBD, LACKING_USER, List.of())).newHttpClient(executor);
    this.plain = SecuritySetup.plain().newHttpClient(executor);
  }

  /** Every intruder, calling the daemon at {@code host:port}. */
  public List<Intruder> against(String host, int port) {
    List<Intruder> out = new ArrayList<>();
    out.add(new Intruder(Kind.NO_CERTIFICATE, tls(anonymous, host, port)));
    out.add(new Intruder(Kind.OTHER_CA, tls(otherCa, host, port)));
    out.add(new Intruder(Kind.EXPIRED, tls(expired, host, port)));
    out.add(new Intruder(Kind.LACKS_METHOD, tls(lacking, host, port)));
    out.add(new Intruder(Kind.PLAIN_HTTP, new RpcClient(plain, false, host, port, TIMEOUT)));
    return out;
  }

  /**
   * An HTTPS client that trusts the fleet's CA and presents no certificate, as a browser or a
   * metrics scraper does.
   */
  public HttpClient anonymous() {
    return anonymous;
  }

  private static RpcClient tls(HttpClient http, String host, int port) {
    return new RpcClient(http, true, host, port, TIMEOUT);
  }

  /** A client context that trusts {@code fleet}'s CA and has no certificate of its own. */
  public static SSLContext trustOnly(TestFleet fleet) {
    try {
      SSLContext context = SSLContext.getInstance(TlsContexts.PROTOCOL);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", fleet.ca.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("build a trust-only TLS context: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (HttpClient c : List.of(anonymous, otherCa, expired, lacking, plain)) {
      c.shutdownNow();
    }
  }
}
