package dominion.mdb.mdbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dominion.mdb.MdbCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A URL source that is down or stalls fails the read, in bounded time, saying which. */
@Timeout(30)
class SourceReaderTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static SourceSpec text(String url) {
    return new SourceSpec(SourceSpec.Kind.TEXT, url);
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/a.txt";
    SourceReader reader = new SourceReader(http, Duration.ofSeconds(5), new MdbCodec());
    IOException e = assertThrows(IOException.class, () -> reader.read(text(url)));
    assertEquals(
        "fetch " + url + ": connect 127.0.0.1:" + port + ": connection refused", e.getMessage());
  }

  @Test
  void aSourceThatStallsMidAnswerTimesOut() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  in.read(new byte[8192]);
                  // Headers and a part of the promised body, then nothing.
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nweb1 "
                              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                  s.getOutputStream().flush();
                  while (in.read() >= 0) {
                    // until the client gives up
                  }
                } catch (IOException e) {
                  // the client closed
                }
              });
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/a.txt";
      SourceReader reader = new SourceReader(http, Duration.ofMillis(500), new MdbCodec());
      IOException e = assertThrows(IOException.class, () -> reader.read(text(url)));
      assertEquals("fetch " + url + ": no complete answer within 500 ms", e.getMessage());
    }
  }
}
