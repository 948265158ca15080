package dominion.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
  private static final FileTree TREE = FileTree.empty(DirectoryInode.of(0755, 0, 0, 0));

  @Test
  void roundTripsFilterTriggersAndMetadata() throws IOException {
    Triggers triggers =
        Triggers.parse(
            "[{\"MatchLines\":[\"/etc/ssh/.*\"],\"Service\":\"ssh\",\"DoReload\":true}]"
                .getBytes(StandardCharsets.UTF_8));
    Image image =
        new Image(
            TREE,
            Filter.parse(List.of("/tmp/.*", "/var/log/.*")),
            triggers,
            new ImageMetadata("alice", 1234, 5678, "built ok", Map.of("team", "web")));
    Image back = ImageCodec.decode(ImageCodec.encode(image));
    assertEquals(image, back);
    assertEquals(List.of("/tmp/.*", "/var/log/.*"), back.filter().lines());
    assertEquals("ssh", back.triggers().list().getFirst().service());
  }

  @Test
  void sparseImagesStaySparseAndEmptyFiltersDoNot() throws IOException {
    Image sparse = new Image(TREE, null, Triggers.NONE, new ImageMetadata("", 0, 0, null, null));
    assertNull(ImageCodec.decode(ImageCodec.encode(sparse)).filter());
    assertTrue(ImageCodec.decode(ImageCodec.encode(sparse)).sparse());
    Image managed = new Image(TREE, Filter.EMPTY, Triggers.NONE, sparse.metadata());
    assertEquals(Filter.EMPTY, ImageCodec.decode(ImageCodec.encode(managed)).filter());
  }

  @Test
  void refusesCorruptInput() {
    byte[] bytes =
        ImageCodec.encode(
            new Image(TREE, Filter.EMPTY, Triggers.NONE, new ImageMetadata("", 0, 0, null, null)));
    IOException e =
        assertThrows(
            IOException.class, () -> ImageCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)));
    assertTrue(e.getMessage().startsWith("bad "), e.getMessage());
    byte[] bad = bytes.clone();
    bad[0] = 'Z';
    assertThrows(IOException.class, () -> ImageCodec.decode(bad));
  }

  @Test
  void namesAreCheckedAndCleaned() {
    assertEquals("web/prod/1", ImageName.of("/web/prod/1").value());
    assertEquals("web/prod", ImageName.of("web/prod/1").directory());
    for (String bad : new String[] {"", "/", "a//b", "a/../b", "a b", "a/./b"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> ImageName.of(bad));
      assertTrue(e.getMessage().startsWith("bad image name"), e.getMessage());
    }
  }
}
