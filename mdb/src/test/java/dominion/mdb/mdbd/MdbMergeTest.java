package dominion.mdb.mdbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class MdbMergeTest {
  @TempDir Path dir;
  private final MdbCodec codec = new MdbCodec();

  private MdbMerge merge() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return new MdbMerge(
        new MdbMerge.Config(dir.resolve("sources"), dir.resolve("mdb.json"), Duration.ofSeconds(1)),
        new SourceReader(http, Duration.ofSeconds(5), codec),
        codec,
        Clock.systemUTC());
  }

  private Mdb written() throws Exception {
    return new MdbFile(dir.resolve("mdb.json"), codec).load();
  }

  private void write(String name, String content) throws Exception {
    Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void laterSourcesOverrideEarlierFieldByField() throws Exception {
    write(
        "inventory.json",
        """
        [{"Hostname": "a", "IpAddress": "10.0.0.1", "RequiredImage": "old/1", "Tags": {"t": "1"}},
         {"Hostname": "b", "IpAddress": "10.0.0.2"}]""");
    write("images.txt", "a new/2\nc x/1\n");
    write("sources", "json inventory.json\ntext images.txt\n");
    assertTrue(merge().cycle());
    Mdb mdb = written();
    assertEquals(3, mdb.size());
    assertEquals("new/2", mdb.get("a").requiredImage());
    assertEquals("10.0.0.1", mdb.get("a").ipAddress());
    assertEquals("1", mdb.get("a").tags().get("t"));
    assertEquals("x/1", mdb.get("c").requiredImage());
  }

  @Test
  void writesOnlyWhenTheResultChanged() throws Exception {
    write("images.txt", "a x/1\n");
    write("sources", "text images.txt\n");
    MdbMerge merge = merge();
    assertTrue(merge.cycle());
    assertFalse(merge.cycle());
    write("images.txt", "a x/2\n");
    assertTrue(merge.cycle());
    assertEquals("x/2", written().get("a").requiredImage());
    assertEquals(2, merge.status().writes());
  }

  @Test
  void aFailingSourceLeavesTheFileAlone() throws Exception {
    write("images.txt", "a x/1\nb x/1\n");
    write("sources", "text images.txt\n");
    MdbMerge merge = merge();
    merge.cycle();
    write("sources", "text images.txt\njson missing.json\n");
    assertFalse(merge.cycle());
    assertEquals(2, written().size());
    MdbdStatus status = merge.status();
    assertNotNull(status.lastError());
    assertTrue(status.lastError().contains("missing.json"), status.lastError());
    assertNotNull(status.sources().get(1).error());
    assertNull(status.sources().get(0).error());
  }

  @Test
  void aSourceThatDoesNotParseLeavesTheFileAlone() throws Exception {
    write("images.txt", "a x/1\n");
    write("sources", "text images.txt\n");
    MdbMerge merge = merge();
    merge.cycle();
    write("images.txt", "a x/1 x/2 x/3 x/4\n");
    assertFalse(merge.cycle());
    assertEquals("x/1", written().get("a").requiredImage());
    assertTrue(merge.status().lastError().contains("line 1"), merge.status().lastError());
  }

  @Test
  void aMissingSourcesFileIsReported() {
    MdbMerge merge = merge();
    assertFalse(merge.cycle());
    assertTrue(merge.status().lastError().contains("read sources file"));
  }

  @Test
  @Timeout(20)
  void readsAJsonSourceFromAUrl() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body =
        "[{\"Hostname\": \"u1\", \"RequiredImage\": \"web/9\"}]".getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/mdb",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      write("sources", "json http://127.0.0.1:" + server.getAddress().getPort() + "/mdb\n");
      assertTrue(merge().cycle());
      assertEquals("web/9", written().get("u1").requiredImage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  @Timeout(20)
  void anHttpErrorIsAFailingSource() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/mdb",
        exchange -> {
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    server.start();
    try {
      write("sources", "json http://127.0.0.1:" + server.getAddress().getPort() + "/mdb\n");
      MdbMerge merge = merge();
      assertFalse(merge.cycle());
      assertTrue(merge.status().lastError().contains("HTTP 500"), merge.status().lastError());
    } finally {
      server.stop(0);
    }
  }
}
