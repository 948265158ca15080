package dominion.imageserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.proto.imageserver.AddImageResponse;
import dominion.proto.imageserver.AddObjectsResponse;
import dominion.proto.imageserver.CheckImageResponse;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ImageserverTest {
  private static final ImageName NAME = ImageName.of("web/1");

  @TempDir Path dir;

  @Test
  void addsAndGivesBackTheSameImageAndObjects() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    try (ServerFixture f = new ServerFixture(dir)) {
      assertEquals(
          new ArrayList<>(s.contents().keySet()), f.objects.missing(s.contents().keySet()));
      f.upload(s.contents());
      assertEquals(List.of(), f.objects.missing(s.contents().keySet()));
      f.images.makeDirectory("web");
      AddImageResponse added = f.images.addImage(ImageName.of("/web/1"), s.image());
      assertEquals("web/1", added.name());
      assertEquals(s.image().tree().size(), added.entries());

      Image back = f.images.getImage(NAME);
      assertEquals(s.image().tree(), back.tree());
      assertEquals(s.image().filter(), back.filter());
      assertEquals(s.image().triggers(), back.triggers());
      assertEquals("builder", back.metadata().createdBy());
      assertEquals(Map.of("team", "web"), back.metadata().tags());
      assertTrue(back.metadata().createdOnMillis() > 0);

      List<Hash> hashes = new ArrayList<>(s.contents().keySet());
      hashes.add(hashes.getFirst());
      Map<Hash, byte[]> got = new HashMap<>();
      List<Hash> order = new ArrayList<>();
      f.objects.getObjects(
          hashes,
          (h, length, data) -> {
            order.add(h);
            got.put(h, data.readAllBytes());
          });
      assertEquals(hashes, order);
      for (Hash h : s.contents().keySet()) {
        assertArrayEquals(s.contents().get(h), got.get(h));
      }
      assertEquals(List.of(NAME), f.images.listImages());
      assertEquals(List.of("web"), f.images.listDirectories());
      assertEquals(new CheckImageResponse(true, false), f.images.checkImage(NAME));
    }
  }

  @Test
  void secondUploadOfAnObjectIsNotNew() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      long bytes = f.server.objects().totalBytes();
      AddObjectsResponse again =
          f.objects.addObjects(
              sink -> {
                for (Map.Entry<Hash, byte[]> e : s.contents().entrySet()) {
                  sink.add(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
                }
              });
      assertEquals(0, again.addedCount());
      assertEquals(s.contents().size(), again.objects().size());
      assertFalse(again.objects().getFirst().added());
      assertEquals(bytes, f.server.objects().totalBytes());
    }
  }

  @Test
  void restartKeepsEverything() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      f.images.makeDirectory("web");
      f.images.makeDirectory("web/prod");
      f.images.addImage(NAME, s.image());
      f.images.addImage(ImageName.of("gone"), s.image());
      f.images.deleteImage(ImageName.of("gone"));
      f.images.changeImageExpiration(NAME, 1_900_000_000_000L);
    }
    try (ServerFixture f = new ServerFixture(dir)) {
      assertEquals(List.of(NAME), f.images.listImages());
      assertEquals(List.of("web", "web/prod"), f.images.listDirectories());
      Image back = f.images.getImage(NAME);
      assertEquals(s.image().tree(), back.tree());
      assertEquals(1_900_000_000_000L, back.metadata().expiresAtMillis());
      assertEquals(List.of(), f.objects.missing(s.contents().keySet()));
      assertEquals(new CheckImageResponse(false, true), f.images.checkImage(ImageName.of("gone")));
      assertEquals(
          ErrorCode.ALREADY_EXISTS,
          assertThrows(RpcException.class, () -> f.images.addImage(ImageName.of("gone"), s.image()))
              .code());
    }
  }

  @Test
  void deletedNamesStayUnusable() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    ImageName name = ImageName.of("once");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      f.images.addImage(name, s.image());
      f.images.deleteImage(name);
      assertEquals(List.of(), f.images.listImages());
      assertEquals(new CheckImageResponse(false, true), f.images.checkImage(name));
      RpcException again =
          assertThrows(RpcException.class, () -> f.images.addImage(name, s.image()));
      assertEquals(ErrorCode.ALREADY_EXISTS, again.code());
      assertTrue(again.getMessage().contains("once"), again.getMessage());
      assertTrue(again.getMessage().contains("deleted"), again.getMessage());
      assertEquals(
          ErrorCode.ALREADY_EXISTS,
          assertThrows(RpcException.class, () -> f.images.makeDirectory("once")).code());
      assertEquals(
          ErrorCode.NOT_FOUND,
          assertThrows(RpcException.class, () -> f.images.getImage(name)).code());
      assertEquals(
          ErrorCode.NOT_FOUND,
          assertThrows(RpcException.class, () -> f.images.deleteImage(name)).code());
    }
  }

  @Test
  void imageNamingAMissingObjectIsRefusedAndNothingIsStored() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    Hash left = s.contents().keySet().iterator().next();
    Map<Hash, byte[]> some = new HashMap<>(s.contents());
    some.remove(left);
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(some);
      RpcException e = assertThrows(RpcException.class, () -> f.images.addImage(NAME, s.image()));
      assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
      assertTrue(e.getMessage().contains(left.hex()), e.getMessage());
      assertEquals(List.of(), f.images.listImages());
      assertEquals(new CheckImageResponse(false, false), f.images.checkImage(NAME));
      try (Stream<Path> files = Files.list(f.dataDir.resolve("images"))) {
        assertEquals(0, files.count());
      }
    }
  }

  @Test
  void objectWhoseBytesDoNotMatchItsHashIsRefusedAndNotStored() throws Exception {
    byte[] good = "good".getBytes(StandardCharsets.UTF_8);
    byte[] bad = "evil".getBytes(StandardCharsets.UTF_8);
    Hash claimed = Hash.of("innocent".getBytes(StandardCharsets.UTF_8));
    try (ServerFixture f = new ServerFixture(dir)) {
      RpcException e =
          assertThrows(
              RpcException.class,
              () ->
                  f.objects.addObjects(
                      sink -> {
                        sink.add(Hash.of(good), good.length, new ByteArrayInputStream(good));
                        sink.add(claimed, bad.length, new ByteArrayInputStream(bad));
                      }));
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().contains(claimed.hex()), e.getMessage());
      assertEquals(List.of(claimed), f.objects.missing(List.of(Hash.of(good), claimed)));
      assertFalse(f.server.objects().has(Hash.of(bad)));
      assertEquals(1, f.server.objects().count());
    }
  }

  @Test
  void takenNameIsRefused() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      f.images.addImage(ImageName.of("x"), s.image());
      f.images.makeDirectory("d");
      RpcException e =
          assertThrows(
              RpcException.class,
              () -> f.images.addImage(ImageName.of("x"), ServerFixture.sample("a").image()));
      assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
      assertTrue(e.getMessage().contains("x"), e.getMessage());
      assertEquals(
          ErrorCode.ALREADY_EXISTS,
          assertThrows(RpcException.class, () -> f.images.addImage(ImageName.of("d"), s.image()))
              .code());
      assertEquals(
          ErrorCode.ALREADY_EXISTS,
          assertThrows(RpcException.class, () -> f.images.makeDirectory("x")).code());
    }
  }

  @Test
  void badNamesAreRefused() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      for (String bad : List.of("a/../b", "a b", "a//b", "x/" + "y".repeat(300))) {
        // ImageName checks locally; go around it to see what the server says.
        RpcException e = assertThrows(RpcException.class, () -> rawAdd(f, bad), bad);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), bad);
        assertTrue(e.getMessage().contains("bad image name"), e.getMessage());
      }
      RpcException e =
          assertThrows(
              RpcException.class, () -> f.images.addImage(ImageName.of("nodir/1"), s.image()));
      assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
      assertTrue(e.getMessage().contains("nodir"), e.getMessage());
      assertEquals(List.of(), f.images.listImages());
    }
  }

  private static void rawAdd(ServerFixture f, String name) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + f.port()
                        + "/rpc/ImageServer.AddImage?name="
                        + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)))
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    dominion.core.image.ImageCodec.encode(ServerFixture.sample("a").image())))
            .build();
    HttpResponse<String> r = ServerFixture.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    var body = dominion.core.json.Json.mapper().readTree(r.body());
    throw new RpcException(
        ErrorCode.valueOf(body.get("code").asText()), body.get("message").asText());
  }

  @Test
  void corruptImageBytesAreRefused() throws Exception {
    try (ServerFixture f = new ServerFixture(dir)) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:" + f.port() + "/rpc/ImageServer.AddImage?name=junk"))
              .POST(HttpRequest.BodyPublishers.ofString("not an image"))
              .build();
      HttpResponse<String> r =
          ServerFixture.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("junk"), r.body());
      assertEquals(List.of(), f.images.listImages());
    }
  }

  @Test
  void getObjectsOfAMissingObjectIsNotFound() throws Exception {
    Hash nothing = Hash.of(new byte[] {1});
    try (ServerFixture f = new ServerFixture(dir)) {
      RpcException e =
          assertThrows(
              RpcException.class, () -> f.objects.getObjects(List.of(nothing), (h, n, in) -> {}));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      assertTrue(e.getMessage().contains(nothing.hex()), e.getMessage());
      assertEquals(
          ErrorCode.NOT_FOUND,
          assertThrows(RpcException.class, () -> f.images.getImage(ImageName.of("nope"))).code());
    }
  }

  @Test
  void truncatedObjectUploadIsRefused() throws Exception {
    byte[] data = "twelve bytes".getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    dominion.proto.imageserver.ObjectFraming.writeAddHeader(body, Hash.of(data), data.length);
    body.write(data, 0, 5);
    try (ServerFixture f = new ServerFixture(dir)) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + f.port() + "/rpc/ObjectServer.AddObjects"))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
              .build();
      HttpResponse<String> r =
          ServerFixture.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().contains("truncated"), r.body());
      assertEquals(0, f.server.objects().count());
    }
  }

  @Test
  void findsTheLatestImageByCreationTimeThenName() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    MutableClock clock = new MutableClock(1_000);
    try (ServerFixture f = new ServerFixture(dir, clock)) {
      f.upload(s.contents());
      f.images.makeDirectory("web");
      f.images.makeDirectory("web/sub");
      assertEquals(Optional.empty(), f.images.findLatestImage("web"));
      f.images.addImage(ImageName.of("web/b"), s.image());
      clock.millis = 2_000;
      f.images.addImage(ImageName.of("web/a"), s.image());
      f.images.addImage(ImageName.of("web/sub/z"), s.image());
      assertEquals(Optional.of(ImageName.of("web/a")), f.images.findLatestImage("web"));
      f.images.addImage(ImageName.of("web/c"), s.image());
      assertEquals(Optional.of(ImageName.of("web/c")), f.images.findLatestImage("/web"));
      assertEquals(
          ErrorCode.NOT_FOUND,
          assertThrows(RpcException.class, () -> f.images.findLatestImage("nope")).code());
      assertEquals(List.of(ImageName.of("web/sub/z")), f.images.listImages("web/sub"));
    }
  }

  @Test
  void statusMetricsAndHealthPagesServe() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      f.images.addImage(ImageName.of("shown"), s.image());
      assertEquals("ok\n", get(f, "/healthz"));
      String status = get(f, "/");
      assertTrue(status.contains("INSECURE"), status);
      assertTrue(status.contains("shown"), status);
      String metrics = get(f, "/metrics");
      assertTrue(metrics.contains("dominion_imageserver_images 1\n"), metrics);
      assertTrue(metrics.contains("dominion_imageserver_objects 3\n"), metrics);
      assertTrue(
          metrics.contains(
              "dominion_imageserver_rpc_calls_total{method=\"ImageServer.AddImage\"} 1"),
          metrics);
    }
  }

  private static String get(ServerFixture f, String path) throws Exception {
    HttpResponse<String> r =
        ServerFixture.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /** A clock a test sets by hand. */
  static final class MutableClock extends Clock {
    volatile long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
