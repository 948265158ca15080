package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's time limits against a server that stalls: one that accepts and never answers, and
 * one that starts a streamed answer and then sends nothing more. Each limit is short, and the test
 * only checks that the call fails (with the limit named) instead of hanging.
 */
@Timeout(60)
class RpcClientLimitsTest {
  record Ping(String text) {}

  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private HttpClient http;
  private ServerSocket stalling;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  // Counted down when the stalling server sees its connection closed by the client.
  private final CountDownLatch clientClosed = new CountDownLatch(1);

  @BeforeEach
  void start() {
    http = RpcClients.newHttpClient(null, Duration.ofSeconds(5), workers);
  }

  @AfterEach
  void stop() throws IOException {
    if (stalling != null) {
      stalling.close();
    }
    for (Socket s : accepted) {
      s.close();
    }
    workers.close();
  }

  /** A server that reads each request's head and then answers with {@code answer}, or nothing. */
  private int stallingServer(byte[] answer) throws IOException {
    stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    workers.execute(
        () -> {
          while (!stalling.isClosed()) {
            try {
              Socket s = stalling.accept();
              accepted.add(s);
              workers.execute(() -> serveThenStall(s, answer));
            } catch (IOException e) {
              return;
            }
          }
        });
    return stalling.getLocalPort();
  }

  private void serveThenStall(Socket s, byte[] answer) {
    try (s) {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      // The request is small: its head and body arrive together; read what came.
      if (in.read(buf) < 0) {
        return;
      }
      if (answer != null) {
        OutputStream out = s.getOutputStream();
        out.write(answer);
        out.flush();
      }
      // Stall: send nothing more, and wait for the client to give up and close.
      while (in.read(buf) >= 0) {
        // discard
      }
      clientClosed.countDown();
    } catch (IOException e) {
      clientClosed.countDown();
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aUnaryCallThatIsNeverAnsweredFailsAtItsDeadline() throws Exception {
    int port = stallingServer(null);
    RpcClient client = new RpcClient(http, false, "127.0.0.1", port, Duration.ofMillis(300));
    RpcException e =
        assertThrows(RpcException.class, () -> client.call("Test.Ping", new Ping("x"), Ping.class));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals(
        "Test.Ping to 127.0.0.1:" + port + " failed: no answer within its deadline of 300 ms",
        e.getMessage());
    assertTrue(clientClosed.await(10, TimeUnit.SECONDS), "the client dropped the connection");
  }

  @Test
  void aUnaryAnswerWhoseBodyStallsFailsAtTheDeadline() throws Exception {
    // Headers and half the promised body, then nothing: the JDK's own request timeout stops at
    // the headers, so only the client's deadline ends this call.
    int port =
        stallingServer(
            ascii(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                    + "{\"text\":"));
    RpcClient client = new RpcClient(http, false, "127.0.0.1", port, Duration.ofMillis(500));
    RpcException e =
        assertThrows(RpcException.class, () -> client.call("Test.Ping", new Ping("x"), Ping.class));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("deadline of 500 ms"), e.getMessage());
  }

  @Test
  void aPerCallDeadlineOverridesTheClients() throws Exception {
    int port = stallingServer(null);
    RpcClient client = new RpcClient(http, false, "127.0.0.1", port, Duration.ofMinutes(5));
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client.call("Test.Ping", new Ping("x"), Ping.class, Duration.ofMillis(200)));
    assertTrue(e.getMessage().endsWith("deadline of 200 ms"), e.getMessage());
  }

  @Test
  void aDownloadThatIsNeverAnsweredFailsAtTheIdleLimit() throws Exception {
    int port = stallingServer(null);
    RpcClient client =
        new RpcClient(
            http,
            false,
            "127.0.0.1",
            port,
            new RpcClient.Limits(Duration.ofMinutes(1), null, Duration.ofMillis(300)));
    RpcException e =
        assertThrows(RpcException.class, () -> client.download("Test.Bytes", new Ping("x")));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals(
        "Test.Bytes to 127.0.0.1:" + port + " failed: no answer within the idle limit of 300 ms",
        e.getMessage());
  }

  private static final String CHUNKED_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";

  @Test
  void aDownloadThatStallsMidStreamFailsAtTheIdleLimit() throws Exception {
    int port = stallingServer(ascii(CHUNKED_HEAD));
    RpcClient client =
        new RpcClient(
            http,
            false,
            "127.0.0.1",
            port,
            new RpcClient.Limits(Duration.ofMinutes(1), null, Duration.ofMillis(300)));
    try (InputStream in = client.download("Test.Bytes", new Ping("x"))) {
      assertArrayEquals(ascii("hello"), in.readNBytes(5));
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, in::read);
      assertEquals(
          "Test.Bytes to 127.0.0.1:" + port + " stalled: no bytes for the idle limit of 300 ms",
          e.getMessage());
      assertEquals(ErrorCode.UNAVAILABLE, e.toRpcException().code());
    }
    assertTrue(clientClosed.await(10, TimeUnit.SECONDS), "the client dropped the connection");
  }

  @Test
  void aDownloadNotReadByItsDeadlineFails() throws Exception {
    int port = stallingServer(ascii(CHUNKED_HEAD));
    RpcClient client =
        new RpcClient(
            http,
            false,
            "127.0.0.1",
            port,
            new RpcClient.Limits(Duration.ofMinutes(1), null, Duration.ofMinutes(1)));
    try (InputStream in = client.download("Test.Bytes", new Ping("x"), Duration.ofMillis(400))) {
      assertArrayEquals(ascii("hello"), in.readNBytes(5));
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, in::read);
      assertTrue(e.getMessage().endsWith("within its deadline of 400 ms"), e.getMessage());
    }
  }

  @Test
  void aSlowReaderIsNotAStalledServer() throws Exception {
    int port =
        stallingServer(
            ascii(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 5\r\n\r\nhello"));
    RpcClient client =
        new RpcClient(
            http,
            false,
            "127.0.0.1",
            port,
            new RpcClient.Limits(Duration.ofMinutes(1), null, Duration.ofMillis(200)));
    try (InputStream in = client.download("Test.Bytes", new Ping("x"))) {
      // The bytes wait in the client's buffers while the reader is busy for longer than the
      // idle limit; reading them later is fine. (The pause is the behaviour under test, not a wait
      // for a condition.)
      Thread.sleep(400);
      assertArrayEquals(ascii("hello"), in.readAllBytes());
    }
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RpcClient client = new RpcClient(http, false, "127.0.0.1", port, Duration.ofSeconds(5));
    RpcException e =
        assertThrows(RpcException.class, () -> client.call("Test.Ping", new Ping("x"), Ping.class));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals(
        "connect 127.0.0.1:"
            + port
            + ": connection refused (calling Test.Ping); is the daemon running there?",
        e.getMessage());
    RpcException d =
        assertThrows(RpcException.class, () -> client.download("Test.Bytes", new Ping("x")));
    assertTrue(
        d.getMessage().startsWith("connect 127.0.0.1:" + port + ": connection refused"),
        d.getMessage());
  }
}
