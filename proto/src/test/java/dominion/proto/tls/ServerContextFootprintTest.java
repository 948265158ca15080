package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A daemon's TLS server context does not drag in a Bouncy Castle JCE provider. Netty's own JDK
 * server context instantiates one whenever the jar is on the class path (several hundred classes
 * and a few MiB of heap, kept for the life of the process); subd has a memory budget. Class loading
 * is per JVM, so a child JVM makes a server context, does a handshake and reports what it loaded.
 */
@Timeout(60)
class ServerContextFootprintTest {
  private static final String PROVIDER = "org.bouncycastle.jce.provider.BouncyCastleProvider";

  /** The child: one server context, one handshake, then "handshake ok" or the failure. */
  public static void main(String[] args) throws Exception {
    TestPki fleet = new TestPki("fleet CA");
    var server = TlsContexts.nettyServer(fleet.credentials(fleet.issue("subd", List.of(), "*")));
    var client =
        TlsContexts.jdkClient(
            fleet.credentials(fleet.issue("dominator", List.of(), "Subd.*")),
            HostVerification.IF_NAMED);
    SSLEngine c = client.createSSLEngine("subd.example", 6969);
    c.setSSLParameters(TlsContexts.clientParameters());
    EnginePair.Outcome o = EnginePair.handshake(c, server.newEngine(ByteBufAllocator.DEFAULT));
    System.out.println(
        o.ok() ? "handshake ok" : "handshake failed: " + o.clientError() + " " + o.serverError());
  }

  @Test
  void serverContextLoadsNoBouncyCastleProvider() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:stdout",
                "-cp",
                System.getProperty("java.class.path"),
                ServerContextFootprintTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(50, TimeUnit.SECONDS), "child JVM did not end");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("handshake ok"), out);
    // The check can see what it looks for: the child did load Bouncy Castle (for PEM and ASN.1).
    assertTrue(out.contains("org.bouncycastle.asn1."), "no Bouncy Castle class loaded at all");
    assertFalse(out.contains(PROVIDER + " "), "the child loaded " + PROVIDER);
  }
}
