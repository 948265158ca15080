package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.imageserver.ObjectFraming;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RpcClient#bulkDownload} against scripted servers on loopback: the request it sends, the
 * bodies it reads (chunked or of a Content-Length), the answers it refuses, and its time limits.
 */
@Timeout(30)
class BulkDownloadTest {
  record Ask(String text) {}

  private static final String OK_CHUNKED =
      "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n";

  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http = RpcClients.newHttpClient(null, Duration.ofSeconds(5), workers);
  private final List<ScriptedServer> servers = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (ScriptedServer s : servers) {
      s.close();
    }
    http.close();
    workers.close();
  }

  private ScriptedServer server(ScriptedServer.Script script) throws IOException {
    ScriptedServer s = new ScriptedServer(script);
    servers.add(s);
    return s;
  }

  private RpcClient client(ScriptedServer s, Duration idle) {
    return new RpcClient(
        http,
        false,
        "127.0.0.1",
        s.port(),
        new RpcClient.Limits(Duration.ofMinutes(1), null, idle));
  }

  private RpcClient client(ScriptedServer s) {
    return client(s, Duration.ofSeconds(20));
  }

  /** {@code parts} as chunks, each with an extension, then the last chunk and a trailer. */
  private static String chunked(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      b.append(Integer.toHexString(p.length())).append(";ext=1\r\n").append(p).append("\r\n");
    }
    return b.append("0\r\nTrailer-Field: x\r\n\r\n").toString();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void sendsTheRequestTheSharedClientSends() throws Exception {
    ScriptedServer s = server(ScriptedServer.sends(OK_CHUNKED + chunked()));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("hi"))) {
      assertEquals(-1, in.read());
    }
    String request = s.requests.take();
    assertTrue(request.startsWith("POST /rpc/Test.Bytes HTTP/1.1\r\n"), request);
    assertTrue(request.contains("\r\nHost: 127.0.0.1:" + s.port() + "\r\n"), request);
    assertTrue(request.contains("\r\nContent-Type: application/json\r\n"), request);
    assertTrue(request.endsWith("\r\n\r\n{\"text\":\"hi\"}"), request);
  }

  @Test
  void readsAChunkedBodyIgnoringExtensionsAndTrailers() throws Exception {
    ScriptedServer s = server(ScriptedServer.sends(OK_CHUNKED + chunked("hello", " ", "world")));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      assertArrayEquals(ascii("hello world"), in.readAllBytes());
      assertEquals(-1, in.read());
    }
  }

  @Test
  void readsABodyOfAContentLength() throws Exception {
    ScriptedServer s =
        server(ScriptedServer.sends("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      assertArrayEquals(ascii("hello"), in.readAllBytes());
    }
  }

  @Test
  void chunkBoundariesMaySplitTheObjectFrames() throws Exception {
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    List<byte[]> objects = List.of(ascii("first object"), new byte[0], ascii("third"));
    for (byte[] o : objects) {
      ObjectFraming.writeLength(framed, o.length);
      framed.write(o);
    }
    String body = framed.toString(StandardCharsets.ISO_8859_1);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < body.length(); i += 3) {
      parts.add(body.substring(i, Math.min(body.length(), i + 3)));
    }
    ScriptedServer s =
        server(ScriptedServer.sends(OK_CHUNKED + chunked(parts.toArray(String[]::new))));
    try (InputStream in = client(s).bulkDownload("ObjectServer.GetObjects", new Ask("x"))) {
      for (byte[] o : objects) {
        assertArrayEquals(
            o, ObjectFraming.exactly(in, ObjectFraming.readLength(in)).readAllBytes());
      }
      assertEquals(-1, in.read());
    }
  }

  @Test
  void anErrorAnswerIsTheServersError() throws Exception {
    String json = "{\"code\":\"NOT_FOUND\",\"message\":\"no object 1234\"}";
    ScriptedServer s =
        server(
            ScriptedServer.sends(
                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
                    + json.length()
                    + "\r\nConnection: close\r\n\r\n"
                    + json));
    RpcException e =
        assertThrows(RpcException.class, () -> client(s).bulkDownload("Test.Bytes", new Ask("x")));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals("no object 1234", e.getMessage());
    assertTrue(s.clientClosed.await(10, TimeUnit.SECONDS), "the client closed the connection");
  }

  @Test
  void aChunkedErrorAnswerIsRead() throws Exception {
    ScriptedServer s =
        server(
            ScriptedServer.sends(
                "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunked("{\"code\":\"PERMISSION_DENIED\",", "\"message\":\"no\"}")));
    RpcException e =
        assertThrows(RpcException.class, () -> client(s).bulkDownload("Test.Bytes", new Ask("x")));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertEquals("no", e.getMessage());
  }

  @Test
  void anErrorAnswerThatIsNotJsonFallsBackOnTheStatus() throws Exception {
    ScriptedServer s =
        server(ScriptedServer.sends("HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy"));
    RpcException e =
        assertThrows(RpcException.class, () -> client(s).bulkDownload("Test.Bytes", new Ask("x")));
    assertEquals(ErrorCode.ofHttpStatus(503), e.code());
    assertEquals("Test.Bytes to 127.0.0.1:" + s.port() + " failed with HTTP 503", e.getMessage());
  }

  private RpcException refusedHead(String answer) throws IOException {
    return refusedHead(ScriptedServer.sends(answer));
  }

  private RpcException refusedHead(ScriptedServer.Script answer) throws IOException {
    ScriptedServer s = server(answer);
    RpcException e =
        assertThrows(RpcException.class, () -> client(s).bulkDownload("Test.Bytes", new Ask("x")));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(
        e.getMessage().startsWith("Test.Bytes to 127.0.0.1:" + s.port() + " failed: "),
        e.getMessage());
    return e;
  }

  @Test
  void anOversizeHeaderLineIsRefused() throws Exception {
    RpcException e = refusedHead("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
    assertTrue(
        e.getMessage().endsWith("bad HTTP response: header line longer than 8192 bytes"),
        e.getMessage());
  }

  @Test
  void tooManyHeadersAreRefused() throws Exception {
    RpcException e =
        refusedHead("HTTP/1.1 200 OK\r\n" + "X-A: 1\r\n".repeat(101) + "Content-Length: 0\r\n\r\n");
    assertTrue(e.getMessage().endsWith("bad HTTP response: more than 100 headers"), e.getMessage());
  }

  @Test
  void aMalformedStatusLineIsRefused() throws Exception {
    RpcException e = refusedHead("SSH-2.0-OpenSSH_9.6\r\n\r\n");
    assertTrue(e.getMessage().contains("bad HTTP response: status line \"SSH-2.0"), e.getMessage());
  }

  @Test
  void aBodyOfUnknownLengthIsRefused() throws Exception {
    RpcException e = refusedHead("HTTP/1.1 200 OK\r\n\r\nhello");
    assertTrue(e.getMessage().contains("neither chunked nor of a Content-Length"), e.getMessage());
  }

  @Test
  void aConnectionClosedWithoutAnAnswerSaysSo() throws Exception {
    RpcException e = refusedHead(ScriptedServer.sendsAndCloses(""));
    assertTrue(
        e.getMessage().endsWith("the server closed the connection without answering"),
        e.getMessage());
  }

  @Test
  void aTruncatedChunkedBodyIsAnError() throws Exception {
    ScriptedServer s = server(ScriptedServer.sendsAndCloses(OK_CHUNKED + "a\r\nhello"));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      assertArrayEquals(ascii("hello"), in.readNBytes(5));
      EOFException e = assertThrows(EOFException.class, in::read);
      assertEquals(
          "response body truncated: the connection closed with 5 bytes of a chunk unread",
          e.getMessage());
    }
  }

  @Test
  void aChunkedBodyWithoutItsLastChunkIsAnError() throws Exception {
    ScriptedServer s = server(ScriptedServer.sendsAndCloses(OK_CHUNKED + "5\r\nhello\r\n"));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      assertThrows(EOFException.class, in::readAllBytes);
    }
  }

  @Test
  void aTruncatedBodyOfAContentLengthIsAnError() throws Exception {
    ScriptedServer s =
        server(ScriptedServer.sendsAndCloses("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      EOFException e = assertThrows(EOFException.class, in::readAllBytes);
      assertEquals(
          "response body truncated: the connection closed after 5 of its 10 bytes", e.getMessage());
    }
  }

  @Test
  void aBadChunkSizeIsAnError() throws Exception {
    ScriptedServer s = server(ScriptedServer.sends(OK_CHUNKED + "zz\r\nhello\r\n0\r\n\r\n"));
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      IOException e = assertThrows(IOException.class, in::read);
      assertEquals("bad HTTP response: chunk size \"zz\"", e.getMessage());
    }
  }

  /** Sends {@code first}, then nothing until the client closes. */
  private static ScriptedServer.Script stallAfter(String first) {
    return ScriptedServer.sends(first);
  }

  @Test
  void anAnswerThatNeverStartsFailsAtTheIdleLimit() throws Exception {
    ScriptedServer s = server(stallAfter(""));
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client(s, Duration.ofMillis(300)).bulkDownload("Test.Bytes", new Ask("x")));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    // The scripted server sends nothing, but its empty answer is not a close: it waits.
    assertEquals(
        "Test.Bytes to 127.0.0.1:"
            + s.port()
            + " failed: no answer within the idle limit of 300 ms",
        e.getMessage());
    assertTrue(s.clientClosed.await(10, TimeUnit.SECONDS), "the client closed the connection");
  }

  @Test
  void anAnswerThatDoesNotStartByAShorterDeadlineFailsAtTheDeadline() throws Exception {
    ScriptedServer s = server(stallAfter(""));
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client(s).bulkDownload("Test.Bytes", new Ask("x"), Duration.ofMillis(300)));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals(
        "Test.Bytes to 127.0.0.1:" + s.port() + " failed: no answer within its deadline of 300 ms",
        e.getMessage());
  }

  @Test
  void aTlsHandshakeThatStallsFailsAtTheIdleLimit() throws Exception {
    // The scripted server waits for an HTTP request head that a TLS client never sends.
    ScriptedServer s = server(stallAfter(""));
    HttpClient tls =
        RpcClients.newHttpClient(
            javax.net.ssl.SSLContext.getDefault(), Duration.ofSeconds(5), workers);
    try {
      RpcClient client =
          new RpcClient(
              tls,
              true,
              "127.0.0.1",
              s.port(),
              new RpcClient.Limits(Duration.ofMinutes(1), null, Duration.ofMillis(300)));
      RpcException e =
          assertThrows(RpcException.class, () -> client.bulkDownload("Test.Bytes", new Ask("x")));
      assertEquals(
          "Test.Bytes to 127.0.0.1:"
              + s.port()
              + " failed: no answer within the idle limit of 300 ms",
          e.getMessage());
    } finally {
      tls.close();
    }
  }

  @Test
  void aBodyThatStallsFailsAtTheIdleLimit() throws Exception {
    ScriptedServer s = server(stallAfter(OK_CHUNKED + "5\r\nhello\r\n"));
    try (InputStream in =
        client(s, Duration.ofMillis(300)).bulkDownload("Test.Bytes", new Ask("x"))) {
      assertArrayEquals(ascii("hello"), in.readNBytes(5));
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, in::read);
      assertEquals(
          "Test.Bytes to 127.0.0.1:" + s.port() + " stalled: no bytes for the idle limit of 300 ms",
          e.getMessage());
    }
    assertTrue(s.clientClosed.await(10, TimeUnit.SECONDS), "the client closed the connection");
  }

  @Test
  void aBodyNotReadByItsDeadlineFails() throws Exception {
    ScriptedServer s = server(stallAfter(OK_CHUNKED + "5\r\nhello\r\n"));
    try (InputStream in =
        client(s).bulkDownload("Test.Bytes", new Ask("x"), Duration.ofMillis(400))) {
      assertArrayEquals(ascii("hello"), in.readNBytes(5));
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, in::read);
      assertEquals(
          "Test.Bytes to 127.0.0.1:"
              + s.port()
              + " failed: not read to its end within its deadline of 400 ms",
          e.getMessage());
    }
  }

  @Test
  void aSlowReaderIsNotAStalledServer() throws Exception {
    ScriptedServer s = server(ScriptedServer.sends(OK_CHUNKED + chunked("hello")));
    try (InputStream in =
        client(s, Duration.ofMillis(200)).bulkDownload("Test.Bytes", new Ask("x"))) {
      // The reader is busy for longer than the idle limit while the bytes wait in the socket.
      // (The pause is the behaviour under test, not a wait for a condition.)
      Thread.sleep(400);
      assertArrayEquals(ascii("hello"), in.readAllBytes());
    }
  }

  @Test
  void closingMidStreamClosesTheConnection() throws Exception {
    byte[] chunk = new byte[1 << 16];
    String head = Integer.toHexString(chunk.length) + "\r\n";
    ScriptedServer s =
        server(
            out -> {
              out.write(ascii(OK_CHUNKED));
              // An endless body: the writes fail once the client has closed.
              while (true) {
                out.write(ascii(head));
                out.write(chunk);
                out.write(ascii("\r\n"));
              }
            });
    InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"));
    assertEquals(1000, in.readNBytes(1000).length);
    in.close();
    assertTrue(s.clientClosed.await(10, TimeUnit.SECONDS), "the client closed the connection");
    IOException e = assertThrows(IOException.class, in::read);
    assertEquals("response body closed", e.getMessage());
    in.close();
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RpcClient client = new RpcClient(http, false, "127.0.0.1", port, Duration.ofSeconds(5));
    RpcException e =
        assertThrows(RpcException.class, () -> client.bulkDownload("Test.Bytes", new Ask("x")));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals(
        "connect 127.0.0.1:"
            + port
            + ": connection refused (calling Test.Bytes); is the daemon running there?",
        e.getMessage());
  }

  @Test
  void anInterruptWhileAwaitingTheAnswerFailsTheCall() throws Exception {
    ScriptedServer s = server(stallAfter(""));
    RpcClient client = client(s);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    client.bulkDownload("Test.Bytes", new Ask("x")).close();
                    failure.complete(null);
                  } catch (Throwable t) {
                    failure.complete(t);
                  }
                });
    s.requests.take();
    reader.interrupt();
    Throwable t = failure.get(10, TimeUnit.SECONDS);
    RpcException e = assertInstance(RpcException.class, t);
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertEquals("Test.Bytes to 127.0.0.1:" + s.port() + " interrupted", e.getMessage());
  }

  @Test
  void anInterruptWhileReadingTheBodyFailsTheRead() throws Exception {
    ScriptedServer s = server(stallAfter(OK_CHUNKED + "5\r\nhello\r\n"));
    InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    CompletableFuture<Void> reading = new CompletableFuture<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (in) {
                    in.readNBytes(5);
                    reading.complete(null);
                    in.read();
                    failure.complete(null);
                  } catch (Throwable t) {
                    failure.complete(t);
                  }
                });
    reading.get(10, TimeUnit.SECONDS);
    // The reader may not be blocked yet; an interrupt before the read fails it the same way.
    reader.interrupt();
    Throwable t = failure.get(10, TimeUnit.SECONDS);
    InterruptedIOException e = assertInstance(InterruptedIOException.class, t);
    assertEquals("interrupted while reading a response", e.getMessage());
    assertTrue(s.clientClosed.await(10, TimeUnit.SECONDS), "the client closed the connection");
  }

  @Test
  void aLargeBodyArrivesWhole() throws Exception {
    byte[] data = new byte[3 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + (i >> 11));
    }
    ScriptedServer s =
        server(
            out -> {
              out.write(ascii(OK_CHUNKED));
              for (int off = 0; off < data.length; off += 50_000) {
                int n = Math.min(50_000, data.length - off);
                out.write(ascii(Integer.toHexString(n) + "\r\n"));
                out.write(data, off, n);
                out.write(ascii("\r\n"));
              }
              out.write(ascii("0\r\n\r\n"));
            });
    try (InputStream in = client(s).bulkDownload("Test.Bytes", new Ask("x"))) {
      byte[] got = in.readAllBytes();
      assertEquals(HexFormat.of().formatHex(sha(data)), HexFormat.of().formatHex(sha(got)));
    }
  }

  private static byte[] sha(byte[] b) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-512").digest(b);
  }

  private static <T> T assertInstance(Class<T> type, Throwable t) {
    assertTrue(type.isInstance(t), "expected " + type.getSimpleName() + ", got " + t);
    return type.cast(t);
  }
}
