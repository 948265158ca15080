package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.tls.TlsContexts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A TLS server connection's records reach the JDK's engine in heap buffers. */
@Timeout(60)
class HeapCumulatorTest {
  @TempDir Path dir;

  private record Uploaded(long bytes) {}

  @Test
  void aServerThatAsksDecryptsEveryRecordOfAnUploadInAHeapBuffer() throws Exception {
    List<Boolean> direct = unwrapSources(true);
    // A MiB is at least 64 records of 16 KiB, read from the socket into direct buffers.
    assertTrue(direct.size() >= 64, "the engine unwrapped only " + direct.size() + " times");
    assertEquals(
        0,
        direct.stream().filter(d -> d).count(),
        "unwraps handed a direct buffer, of " + direct.size());
  }

  @Test
  void otherServersKeepNettysDirectBuffers() throws Exception {
    List<Boolean> direct = unwrapSources(false);
    assertTrue(direct.size() >= 64, "the engine unwrapped only " + direct.size() + " times");
    assertTrue(direct.stream().allMatch(d -> d), "unwraps handed a heap buffer: " + direct);
  }

  // Uploads 1 MiB over TLS; returns, for each unwrap with bytes to read, whether its source was
  // direct.
  private List<Boolean> unwrapSources(boolean decryptInHeapBuffers) throws Exception {
    TestFleet fleet = new TestFleet(dir.resolve("fleet"), "test fleet CA");
    var credentials = fleet.credentials(fleet.issue("testserver", List.of("127.0.0.1"), "*"));
    List<Boolean> direct = new CopyOnWriteArrayList<>();
    JdkSslContext recording =
        new JdkSslContext(
            recording(TlsContexts.jdkServer(credentials), direct),
            false,
            null,
            IdentityCipherSuiteFilter.INSTANCE,
            null,
            ClientAuth.OPTIONAL,
            new String[] {TlsContexts.PROTOCOL},
            false);
    byte[] body = new byte[1 << 20];
    new SecureRandom().nextBytes(body);
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        RpcServer server =
            new RpcServer(
                new RpcServer.Config("127.0.0.1", 0, "testserver"),
                new ServerSecurity.Tls(recording),
                workers)) {
      if (decryptInHeapBuffers) {
        server.decryptInHeapBuffers();
      }
      server
          .upload(
              "Test.Upload",
              (in, call) -> new Uploaded(in.transferTo(OutputStream.nullOutputStream())))
          .start();
      var setup = fleet.cli(fleet.issue("uploader", List.of(), "Test.*"));
      try (var http = setup.newHttpClient(workers)) {
        RpcClient client = setup.client(http, "127.0.0.1", server.port(), Duration.ofSeconds(20));
        Uploaded up =
            client.upload(
                "Test.Upload", Map.of(), () -> new ByteArrayInputStream(body), Uploaded.class);
        assertEquals(body.length, up.bytes());
      }
    }
    return direct;
  }

  @Test
  void aDirectReadIsGatheredOnTheHeapBehindWhatIsLeft() {
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    ByteBuf first = Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3});
    ByteBuf cumulation = HeapCumulator.INSTANCE.cumulate(alloc, Unpooled.EMPTY_BUFFER, first);
    assertTrue(cumulation.hasArray());
    assertEquals(0, first.refCnt(), "the read's buffer is released");
    cumulation.skipBytes(1);
    ByteBuf second = Unpooled.directBuffer().writeBytes(new byte[] {4, 5});
    cumulation = HeapCumulator.INSTANCE.cumulate(alloc, cumulation, second);
    assertTrue(cumulation.hasArray());
    assertEquals(0, second.refCnt());
    byte[] left = new byte[cumulation.readableBytes()];
    cumulation.readBytes(left);
    assertArrayEquals(new byte[] {2, 3, 4, 5}, left);
    cumulation.release();
  }

  /** A server context whose engines note, for each unwrap, whether its source was direct. */
  private static SSLContext recording(SSLContext real, List<Boolean> direct) {
    SSLContextSpi spi =
        new SSLContextSpi() {
          @Override
          protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {}

          @Override
          protected SSLSocketFactory engineGetSocketFactory() {
            return real.getSocketFactory();
          }

          @Override
          protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real.getServerSocketFactory();
          }

          @Override
          protected SSLEngine engineCreateSSLEngine() {
            return new RecordingEngine(real.createSSLEngine(), direct);
          }

          @Override
          protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new RecordingEngine(real.createSSLEngine(host, port), direct);
          }

          @Override
          protected SSLSessionContext engineGetServerSessionContext() {
            return real.getServerSessionContext();
          }

          @Override
          protected SSLSessionContext engineGetClientSessionContext() {
            return real.getClientSessionContext();
          }
        };
    return new SSLContext(spi, real.getProvider(), real.getProtocol()) {};
  }

  /** The JDK's engine, noting each unwrap's source buffer. */
  private static final class RecordingEngine extends SSLEngine {
    private final SSLEngine real;
    private final List<Boolean> direct;

    RecordingEngine(SSLEngine real, List<Boolean> direct) {
      this.real = real;
      this.direct = direct;
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
        throws SSLException {
      if (src.hasRemaining()) {
        direct.add(src.isDirect());
      }
      return real.unwrap(src, dsts, offset, length);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
        throws SSLException {
      return real.wrap(srcs, offset, length, dst);
    }

    @Override
    public Runnable getDelegatedTask() {
      return real.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
      real.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return real.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      real.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return real.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return real.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return real.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      real.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
      return real.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return real.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      real.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return real.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
      return real.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
      real.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return real.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      real.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return real.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      real.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return real.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      real.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return real.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      real.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return real.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
      return real.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
      real.setSSLParameters(params);
    }
  }
}
