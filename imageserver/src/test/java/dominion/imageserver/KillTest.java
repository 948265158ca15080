package dominion.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.ImageName;
import dominion.core.image.Triggers;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.rpc.RpcClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real imageserver process with SIGKILL while a client adds objects and images as fast as
 * it can, then starts a server on the same data directory and checks that everything stored is
 * whole: every object hashes to its name, every image decodes and names only stored objects.
 */
@Timeout(120)
class KillTest {
  @TempDir Path dir;

  @Test
  void killNineLeavesNothingCorrupt() throws Exception {
    Path data = dir.resolve("data");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dominion.imageserver.ImageserverMain",
                "--data-dir",
                data.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                // Files that do not exist, whatever this machine has in /etc/ssl: plain HTTP.
                "--ca",
                dir.resolve("none/CA.pem").toString(),
                "--permit-insecure-mode")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    AtomicInteger added = new AtomicInteger();
    try {
      awaitHealthy(port, server);
      RpcClient rpc =
          new RpcClient(ServerFixture.HTTP, false, "127.0.0.1", port, Duration.ofSeconds(10));
      ImageServerClient images = new ImageServerClient(rpc);
      ObjectClient objects = new ObjectClient(rpc);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    Random random = new Random(7);
                    try {
                      for (int i = 0; ; i++) {
                        Map<Hash, byte[]> contents = new LinkedHashMap<>();
                        for (int j = 0; j < 40; j++) {
                          byte[] b = new byte[random.nextInt(64 << 10)];
                          random.nextBytes(b);
                          contents.put(Hash.of(b), b);
                        }
                        objects.addObjects(
                            sink -> {
                              for (Map.Entry<Hash, byte[]> e : contents.entrySet()) {
                                sink.add(
                                    e.getKey(),
                                    e.getValue().length,
                                    new ByteArrayInputStream(e.getValue()));
                              }
                            });
                        images.addImage(ImageName.of("img-" + i), image(contents));
                        added.incrementAndGet();
                      }
                    } catch (Exception e) {
                      // The server died under us: expected.
                    }
                  });
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (added.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(added.get() >= 3, "the writer made no progress; see server.log");
      Thread.sleep(new Random().nextInt(300));
      server.destroyForcibly().waitFor();
      writer.join(Duration.ofSeconds(30));
    } finally {
      server.destroyForcibly();
    }

    try (ServerFixture f = new ServerFixture(data)) {
      int[] checked = {0};
      f.server
          .objects()
          .forEach(
              h -> {
                try (InputStream in = f.server.objects().get(h)) {
                  assertEquals(h, Hash.of(in.readAllBytes()), "object " + h);
                  checked[0]++;
                } catch (java.io.IOException e) {
                  fail("read object " + h + ": " + e);
                }
              });
      List<ImageName> names = f.images.listImages();
      assertTrue(names.size() >= added.get(), names.size() + " images, " + added + " added");
      List<Hash> referenced = new ArrayList<>();
      for (ImageName name : names) {
        for (Entry e : f.server.database().read(name).tree().entries()) {
          if (e.inode() instanceof RegularInode r) {
            referenced.add(r.hash());
          }
        }
      }
      assertEquals(List.of(), f.objects.missing(referenced));
      try (var tmp = Files.list(data.resolve("tmp"))) {
        assertEquals(0, tmp.count());
      }
      assertTrue(checked[0] >= 3 * 40);
    }
  }

  private static Image image(Map<Hash, byte[]> contents) {
    FileTree.Builder b = new FileTree.Builder().add("/", 1, DirectoryInode.of(0755, 0, 0, 0));
    long inum = 2;
    for (Map.Entry<Hash, byte[]> e : contents.entrySet()) {
      b.add("/f" + inum, inum, RegularInode.of(0644, 0, 0, 0, e.getValue().length, e.getKey()));
      inum++;
    }
    return new Image(b.build(), null, Triggers.NONE, new ImageMetadata("t", 0, 0, null, null));
  }

  private static void awaitHealthy(int port, Process server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        fail("the imageserver exited with " + server.exitValue() + "; see server.log");
      }
      try {
        HttpResponse<String> r =
            ServerFixture.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // Not listening yet.
      }
      Thread.sleep(50);
    }
    fail("the imageserver did not answer /healthz within 30 s");
  }
}
