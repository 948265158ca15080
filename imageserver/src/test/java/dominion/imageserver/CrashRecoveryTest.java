package dominion.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import dominion.core.image.ImageCodec;
import dominion.core.image.ImageName;
import dominion.proto.imageserver.CheckImageResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kill -9 can leave behind, made by hand: every write goes through a temporary file, so a
 * crash leaves at most stray temporary files (and, between link and unlink, a temporary file beside
 * a whole image). Startup must remove them and serve what is whole.
 */
@Timeout(60)
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void strayTemporaryFilesAreRemovedAndWholeImagesServed() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    byte[] encoded;
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      f.images.addImage(ImageName.of("whole"), s.image());
      encoded = Files.readAllBytes(dir.resolve("images/whole"));
    }
    // A half-written image (killed before fsync and link), a whole one killed between link and
    // unlink of its temp file, and a half-written object.
    Files.write(dir.resolve("tmp/image-1.tmp"), Arrays.copyOf(encoded, encoded.length / 2));
    Files.write(dir.resolve("tmp/image-2.tmp"), encoded);
    Files.createLink(dir.resolve("tmp/image-3.tmp"), dir.resolve("images/whole"));
    Files.write(
        dir.resolve("objects/.tmp/add-1.tmp"), "half an obj".getBytes(StandardCharsets.UTF_8));

    try (ServerFixture f = new ServerFixture(dir)) {
      assertEquals(0, count(dir.resolve("tmp")));
      assertEquals(0, count(dir.resolve("objects/.tmp")));
      assertEquals(List.of(ImageName.of("whole")), f.images.listImages());
      assertEquals(s.image().tree(), f.images.getImage(ImageName.of("whole")).tree());
      assertEquals(s.contents().size(), f.server.objects().count());
      assertFalse(f.server.objects().has(Hash.of("half an obj".getBytes(StandardCharsets.UTF_8))));
      assertTrue(
          ImageCodec.decode(Files.readAllBytes(dir.resolve("images/whole")))
              .tree()
              .equals(s.image().tree()));
    }
  }

  @Test
  void foreignFileKeepsItsNameTaken() throws Exception {
    ServerFixture.Sample s = ServerFixture.sample("a");
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("images/notes.txt"), "someone's notes");
    try (ServerFixture f = new ServerFixture(dir)) {
      f.upload(s.contents());
      assertEquals(List.of(), f.images.listImages());
      assertEquals(
          new CheckImageResponse(false, true), f.images.checkImage(ImageName.of("notes.txt")));
      assertEquals("someone's notes", Files.readString(dir.resolve("images/notes.txt")));
    }
  }

  private static long count(Path d) throws Exception {
    try (Stream<Path> files = Files.list(d)) {
      return files.count();
    }
  }
}
