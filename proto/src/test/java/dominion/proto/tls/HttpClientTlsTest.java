package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * java.net.http.HttpClient (what the RPC client uses) against a TLS server on loopback. It sets
 * "HTTPS" endpoint identification itself, so this shows the client context's own host check is the
 * one that decides.
 */
@Timeout(60)
class HttpClientTlsTest {
  private final TestPki fleet = new TestPki("fleet CA");

  HttpClientTlsTest() throws TlsException {}

  /** Serves "hello USER" (or "hello nobody") over TLS with {@code serverCert}, then GETs it. */
  private String fetch(IssuedCertificate serverCert, SSLContext client) throws Exception {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(TlsContexts.jdkServer(fleet.credentials(serverCert))) {
          @Override
          public void configure(HttpsParameters params) {
            params.setSSLParameters(TlsContexts.serverParameters());
          }
        });
    server.createContext(
        "/",
        exchange -> {
          String user;
          try {
            user =
                Identity.fromSession(((HttpsExchange) exchange).getSSLSession())
                    .map(Identity::user)
                    .orElse("nobody");
          } catch (Exception e) {
            user = "unreadable";
          }
          byte[] body = ("hello " + user).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (HttpClient http =
        HttpClient.newBuilder()
            .sslContext(client)
            .sslParameters(TlsContexts.clientParameters())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build()) {
      URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return r.body();
    } finally {
      server.stop(0);
    }
  }

  private SSLContext client(String name) throws Exception {
    return TlsContexts.jdkClient(
        fleet.credentials(fleet.issue(name, List.of(), "Subd.*")), HostVerification.IF_NAMED);
  }

  @Test
  void serverCertificateWithoutNamesIsAcceptedAndClientIdentified() throws Exception {
    assertEquals(
        "hello dominator", fetch(fleet.issue("subd", List.of(), "*"), client("dominator")));
  }

  @Test
  void serverCertificateNamingTheDialledAddressIsAccepted() throws Exception {
    assertEquals(
        "hello dominator",
        fetch(fleet.issue("subd", List.of("127.0.0.1"), "*"), client("dominator")));
  }

  @Test
  void serverCertificateForAnotherHostIsRefused() throws Exception {
    IssuedCertificate elsewhere = fleet.issue("subd", List.of("sub9.example", "10.9.9.9"), "*");
    SSLContext client = client("dominator");
    IOException e = assertThrows(IOException.class, () -> fetch(elsewhere, client));
    Throwable t = e;
    while (t != null && !(t instanceof SSLHandshakeException)) {
      t = t.getCause();
    }
    assertTrue(t != null, "not a handshake failure: " + e);
    assertTrue(t.getMessage().contains("not the dialled host 127.0.0.1"), t.getMessage());
  }
}
