package dominion.proto.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dominion.core.hash.Hash;
import dominion.core.hash.HashingInputStream;
import dominion.proto.http.PageResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RpcServerTest {
  record EchoRequest(String text, int times) {}

  record EchoResponse(String text, String user) {}

  record SizeRequest(long bytes) {}

  record UploadResponse(long bytes, String hash, String tag) {}

  /** A request whose deserializer counts how often Jackson builds it. */
  @JsonDeserialize(using = CountedRequest.Reader.class)
  record CountedRequest(String text) {
    static final AtomicInteger readersBuilt = new AtomicInteger();

    static final class Reader extends StdDeserializer<CountedRequest> {
      Reader() {
        super(CountedRequest.class);
        readersBuilt.incrementAndGet();
      }

      @Override
      public CountedRequest deserialize(JsonParser p, DeserializationContext ctxt)
          throws IOException {
        return new CountedRequest(ctxt.readTree(p).get("text").asText());
      }
    }
  }

  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private RpcServer server;
  private HttpClient http;
  private RpcClient client;

  @BeforeEach
  void start() throws Exception {
    server =
        new RpcServer(
            new RpcServer.Config("127.0.0.1", 0, "test"), ServerSecurity.insecure(), workers);
    server.unary(
        "Test.Echo",
        EchoRequest.class,
        (req, call) -> {
          if (req.times() < 0) {
            throw RpcException.invalid("bad times " + req.times());
          }
          if (req.times() == 99) {
            throw new IllegalStateException("boom");
          }
          if (req.times() == 98) {
            throw new AssertionError("a bug");
          }
          return new EchoResponse(req.text().repeat(req.times()), call.user());
        });
    server.download(
        "Test.Bytes",
        SizeRequest.class,
        "application/octet-stream",
        (req, call, out) -> writeRandom(out, req.bytes()));
    server.upload(
        "Test.Upload",
        (in, call) -> {
          HashingInputStream h = new HashingInputStream(in);
          h.transferTo(OutputStream.nullOutputStream());
          return new UploadResponse(h.count(), h.hash().hex(), call.params().get("tag"));
        });
    server.page("/healthz", q -> PageResponse.text("ok\n"));
    server.page(
        "/broken",
        q -> {
          throw new AssertionError("a bug");
        });
    server.start();
    http = RpcClients.newHttpClient(null, Duration.ofSeconds(5), workers);
    client = new RpcClient(http, false, "127.0.0.1", server.port(), Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    server.close();
    workers.close();
  }

  private static void writeRandom(OutputStream out, long n) throws IOException {
    Random random = new Random(n);
    byte[] buf = new byte[10_000];
    for (long left = n; left > 0; left -= buf.length) {
      random.nextBytes(buf);
      out.write(buf, 0, (int) Math.min(buf.length, left));
    }
  }

  @Test
  void aBusyPortIsOneClearError() {
    RpcServer second =
        new RpcServer(
            new RpcServer.Config("127.0.0.1", server.port(), "second"),
            ServerSecurity.insecure(),
            workers);
    IOException e = assertThrows(IOException.class, second::start);
    assertEquals(
        "listen on 127.0.0.1:" + server.port() + ": Address already in use", e.getMessage());
    second.close();
  }

  @Test
  void aRequestTypeIsResolvedWhenItsMethodIsRegisteredNotOnTheFirstCall() {
    CountedRequest.readersBuilt.set(0);
    server.unary(
        "Test.Counted", CountedRequest.class, (req, call) -> new EchoResponse(req.text(), ""));
    assertEquals(1, CountedRequest.readersBuilt.get(), "built at registration");
    for (int i = 0; i < 3; i++) {
      assertEquals(
          "hi", client.call("Test.Counted", new CountedRequest("hi"), EchoResponse.class).text());
    }
    assertEquals(1, CountedRequest.readersBuilt.get(), "and not again for a call");
  }

  @Test
  void unaryCallsRoundTripAndReuseTheConnection() {
    for (int i = 0; i < 50; i++) {
      EchoResponse r = client.call("Test.Echo", new EchoRequest("ab", 3), EchoResponse.class);
      assertEquals("ababab", r.text());
      assertNull(r.user());
    }
  }

  @Test
  void handlerErrorsArriveWithTheirCode() {
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client.call("Test.Echo", new EchoRequest("x", -1), EchoResponse.class));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertEquals("bad times -1", e.getMessage());
    RpcException internal =
        assertThrows(
            RpcException.class,
            () -> client.call("Test.Echo", new EchoRequest("x", 99), EchoResponse.class));
    assertEquals(ErrorCode.INTERNAL, internal.code());
    RpcException bug =
        assertThrows(
            RpcException.class,
            () -> client.call("Test.Echo", new EchoRequest("x", 98), EchoResponse.class));
    assertEquals(ErrorCode.INTERNAL, bug.code());
    assertEquals("Test.Echo failed: java.lang.AssertionError: a bug", bug.getMessage());
    // The connection still serves calls after errors.
    assertEquals("x", client.call("Test.Echo", new EchoRequest("x", 1), EchoResponse.class).text());
  }

  @Test
  void unknownMethodsAndBadJsonAreRefused() throws Exception {
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> client.call("Test.Nope", new EchoRequest("x", 1), EchoResponse.class));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("Test.Nope"));

    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/rpc/Test.Echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": "))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("INVALID_ARGUMENT"), bad.body());
    assertTrue(bad.body().contains("bad request to Test.Echo"), bad.body());
  }

  @Test
  void unknownFieldsInRequestsAreIgnored() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/rpc/Test.Echo"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"text\":\"a\",\"times\":2,\"fromTheFuture\":[1,2]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("\"aa\""), r.body());
  }

  @Test
  void downloadsStreamLargeBodies() throws IOException {
    long size = 48L << 20;
    HashingInputStream in =
        new HashingInputStream(client.download("Test.Bytes", new SizeRequest(size)));
    in.transferTo(OutputStream.nullOutputStream());
    in.close();
    assertEquals(size, in.count());
    var sink = new java.io.ByteArrayOutputStream();
    writeRandom(sink, size);
    assertEquals(Hash.of(sink.toByteArray()), in.hash());
    try (InputStream small = client.download("Test.Bytes", new SizeRequest(1000))) {
      var want = new java.io.ByteArrayOutputStream();
      writeRandom(want, 1000);
      assertArrayEquals(want.toByteArray(), small.readAllBytes());
    }
  }

  @Test
  void uploadsStreamLargeBodiesWithParameters() {
    byte[] data = new byte[24 << 20];
    new Random(7).nextBytes(data);
    UploadResponse r =
        client.upload(
            "Test.Upload",
            Map.of("tag", "a b&c"),
            () -> new ByteArrayInputStream(data),
            UploadResponse.class);
    assertEquals(data.length, r.bytes());
    assertEquals(Hash.of(data).hex(), r.hash());
    assertEquals("a b&c", r.tag());
  }

  @Test
  void pagesAreServedAndUnknownPagesAre404() throws Exception {
    String base = "http://127.0.0.1:" + server.port();
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    assertEquals("ok\n", ok.body());
    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    HttpResponse<String> broken =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/broken")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(500, broken.statusCode());
    assertTrue(
        broken.body().contains("page failed: java.lang.AssertionError: a bug"), broken.body());
  }

  @Test
  void unreachableServersAreUnavailable() {
    int port = server.port();
    server.close();
    RpcClient dead = new RpcClient(http, false, "127.0.0.1", port, Duration.ofSeconds(5));
    RpcException e =
        assertThrows(
            RpcException.class,
            () -> dead.call("Test.Echo", new EchoRequest("x", 1), EchoResponse.class));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }
}
