package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real handshake between a daemon's Netty server context and a client context, engine to engine
 * in memory. Clients dial as java.net.http.HttpClient does: with the dialled host as the engine's
 * peer host and "HTTPS" endpoint identification set.
 */
@Timeout(30)
class HandshakeTest {
  private final TestPki fleet = new TestPki("fleet CA");
  private final TestPki other = new TestPki("other CA");
  private final SslContext server;

  HandshakeTest() throws Exception {
    server = TlsContexts.nettyServer(fleet.credentials(fleet.issue("imageserver", List.of(), "*")));
  }

  private static EnginePair.Outcome dial(SSLContext client, SslContext server, String host)
      throws Exception {
    SSLEngine c = client.createSSLEngine(host, 6971);
    SSLParameters p = TlsContexts.clientParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    c.setSSLParameters(p);
    EnginePair.Outcome o = EnginePair.handshake(c, server.newEngine(ByteBufAllocator.DEFAULT));
    return o;
  }

  private SSLContext client(IssuedCertificate cert) throws Exception {
    return TlsContexts.jdkClient(fleet.credentials(cert), HostVerification.IF_NAMED);
  }

  private SslContext serverWith(TestPki pki, List<String> hosts) throws Exception {
    return TlsContexts.nettyServer(
        pki.credentials(pki.issue("subd", hosts, "ObjectServer.GetObjects")));
  }

  @Test
  void goodClientCertificateIsAcceptedAndIdentified() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    EnginePair.Outcome o = dial(client, server, "imageserver.example");
    assertTrue(o.ok(), () -> "client: " + o.clientError() + " server: " + o.serverError());
    assertEquals("TLSv1.3", o.serverSession().getProtocol());
    Identity id = o.clientIdentity().orElseThrow();
    assertEquals("dominator", id.user());
    assertTrue(id.permits("Subd.Poll"));
    assertFalse(id.permits("ImageServer.AddImage"));
  }

  @Test
  void clientWithoutCertificateConnectsWithoutIdentity() throws Exception {
    SSLContext client = SSLContext.getInstance("TLSv1.3");
    client.init(
        null,
        new TrustManager[] {
          new FleetTrustManager(TlsContexts.pkix(fleet.ca.certificate()), HostVerification.IF_NAMED)
        },
        null);
    EnginePair.Outcome o = dial(client, server, "imageserver.example");
    assertTrue(o.ok(), () -> "client: " + o.clientError() + " server: " + o.serverError());
    assertEquals(Optional.empty(), o.clientIdentity());
  }

  @Test
  void clientCertificateFromAnotherCaIsRefused() throws Exception {
    IssuedCertificate intruder = other.issue("intruder", List.of(), "*");
    SSLContext client =
        TlsContexts.jdkClient(
            new TlsCredentials(
                fleet.ca.certificate(), intruder.certificate(), intruder.privateKey()),
            HostVerification.IF_NAMED);
    EnginePair.Outcome o = dial(client, server, "imageserver.example");
    assertNotNull(o.serverError(), "server accepted a client certificate from another CA");
    assertTrue(causes(o.serverError()).contains("certification path"), causes(o.serverError()));
  }

  @Test
  void expiredClientCertificateIsRefused() throws Exception {
    SSLContext client = client(fleet.expired("dominator", "Subd.*"));
    EnginePair.Outcome o = dial(client, server, "imageserver.example");
    assertNotNull(o.serverError(), "server accepted an expired client certificate");
    assertTrue(causes(o.serverError()).contains("CertificateExpired"), causes(o.serverError()));
  }

  @Test
  void clientRefusesServerCertificateFromAnotherCa() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    EnginePair.Outcome o = dial(client, serverWith(other, List.of()), "sub1.example");
    assertNotNull(o.clientError(), "client accepted a server certificate from another CA");
    assertTrue(causes(o.clientError()).contains("certification path"), causes(o.clientError()));
  }

  @Test
  void clientRefusesExpiredServerCertificate() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    SslContext expiredServer =
        TlsContexts.nettyServer(fleet.credentials(fleet.expired("subd", "*")));
    EnginePair.Outcome o = dial(client, expiredServer, "sub1.example");
    assertNotNull(o.clientError(), "client accepted an expired server certificate");
    assertTrue(causes(o.clientError()).contains("CertificateExpired"), causes(o.clientError()));
  }

  @Test
  void clientRefusesServerCertificateForOtherHosts() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    EnginePair.Outcome o =
        dial(client, serverWith(fleet, List.of("sub2.example", "10.0.0.2")), "sub1.example");
    assertNotNull(o.clientError(), "client accepted a certificate for other hosts");
    assertTrue(
        causes(o.clientError()).contains("not the dialled host sub1.example"),
        causes(o.clientError()));
  }

  @Test
  void clientAcceptsServerCertificateNamingTheDialledHost() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    SslContext named = serverWith(fleet, List.of("sub2.example", "10.0.0.2"));
    EnginePair.Outcome byName = dial(client, named, "SUB2.example");
    assertTrue(byName.ok(), () -> "client: " + byName.clientError());
    EnginePair.Outcome byIp = dial(client, named, "10.0.0.2");
    assertTrue(byIp.ok(), () -> "client: " + byIp.clientError());
  }

  @Test
  void clientAcceptsServerCertificateNamingNoHosts() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    EnginePair.Outcome o = dial(client, serverWith(fleet, List.of()), "sub1.example");
    assertTrue(o.ok(), () -> "client: " + o.clientError() + " server: " + o.serverError());
  }

  @Test
  void strictClientRefusesServerCertificateNamingNoHosts() throws Exception {
    SSLContext client =
        TlsContexts.jdkClient(
            fleet.credentials(fleet.issue("dominator", List.of(), "Subd.*")),
            HostVerification.REQUIRED);
    EnginePair.Outcome o = dial(client, serverWith(fleet, List.of()), "sub1.example");
    assertNotNull(o.clientError(), "strict client accepted a certificate naming no hosts");
    assertTrue(causes(o.clientError()).contains("names no hosts"), causes(o.clientError()));
  }

  @Test
  void serverRefusesTls12() throws Exception {
    SSLContext client = client(fleet.issue("dominator", List.of(), "Subd.*"));
    SSLEngine c = client.createSSLEngine("imageserver.example", 6971);
    c.setEnabledProtocols(new String[] {"TLSv1.2"});
    EnginePair.Outcome o = EnginePair.handshake(c, server.newEngine(ByteBufAllocator.DEFAULT));
    assertFalse(o.ok(), "a TLS 1.2 handshake succeeded");
  }

  private static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      b.append(t).append(" / ");
    }
    return b.toString();
  }
}
