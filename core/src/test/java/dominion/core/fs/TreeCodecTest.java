package dominion.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TreeCodecTest {
  static FileTree sample() {
    Hash h = Hash.of("content".getBytes(StandardCharsets.UTF_8));
    RegularInode file = new RegularInode(0104755, 0, 0, 1_700_000_000_123_456_789L, 7, h, null);
    RegularInode capped =
        new RegularInode(0100755, 0, 0, -5, 7, h, "0100000200200000000000000000000000000000");
    return new FileTree.Builder()
        .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
        .add("/bin", 2, DirectoryInode.of(0755, 0, 0, 0))
        .add("/bin/su", 3, file)
        .add("/bin/su-link", 3, file)
        .add("/bin/ping", 4, capped)
        .add("/bin/sh", 5, SymlinkInode.of(0, 0, 0, "dash"))
        .add("/dev", 6, DirectoryInode.of(0755, 0, 0, 0))
        .add("/dev/null", 7, new SpecialInode(0020666, 0, 0, 0, SpecialInode.makeDev(1, 3)))
        .add("/dev/sda", 8, new SpecialInode(0060660, 0, 6, 0, SpecialInode.makeDev(8, 0)))
        .add("/dev/fifo", 9, new SpecialInode(0010644, 4_000_000_000L > 0 ? -2 : 0, 65534, 0, 0))
        .add("/\u00e9t\u00e9", 10, DirectoryInode.of(01777, 1000, 1000, 0))
        .build();
  }

  @Test
  void roundTripsEveryKindOfInode() throws IOException {
    FileTree tree = sample();
    FileTree back = TreeCodec.decode(TreeCodec.encode(tree));
    assertEquals(tree, back);
    assertSame(back.get("/bin/su").inode(), back.get("/bin/su-link").inode());
    assertEquals(back.get("/bin/su").inum(), back.get("/bin/su-link").inum());
    assertEquals(8, SpecialInode.major(((SpecialInode) back.get("/dev/sda").inode()).rdev()));
  }

  @Test
  void refusesTruncatedInput() {
    byte[] bytes = TreeCodec.encode(sample());
    for (int cut : new int[] {0, 3, 10, bytes.length / 2, bytes.length - 1}) {
      byte[] part = Arrays.copyOf(bytes, cut);
      IOException e = assertThrows(IOException.class, () -> TreeCodec.decode(part));
      assertTrue(e.getMessage().contains("bad tree encoding") || cut < 4, e.getMessage());
    }
  }

  @Test
  void refusesWrongMagicAndOutOfRangeInodes() {
    byte[] bytes = TreeCodec.encode(sample());
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertTrue(
        assertThrows(IOException.class, () -> TreeCodec.decode(magic))
            .getMessage()
            .contains("magic"));
    byte[] bad = bytes.clone();
    bad[bad.length - 1] = 0x7f; // the last entry's inode number
    assertThrows(IOException.class, () -> TreeCodec.decode(bad));
  }

  @Test
  void builderRefusesBadTrees() {
    DirectoryInode dir = DirectoryInode.of(0755, 0, 0, 0);
    Hash h = Hash.of(new byte[0]);
    assertThrows(
        IllegalArgumentException.class, () -> new FileTree.Builder().add("/a", 1, dir).build());
    var orphan =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FileTree.Builder().add("/", 1, dir).add("/a/b", 2, dir).build());
    assertTrue(orphan.getMessage().contains("/a/b"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FileTree.Builder().add("/", 1, dir).add("/a", 2, dir).add("/a", 3, dir).build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new FileTree.Builder()
                .add("/", 1, dir)
                .add("/f", 2, RegularInode.of(0644, 0, 0, 0, 0, h))
                .add("/f/x", 3, dir)
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () -> new FileTree.Builder().add("/", 1, dir).add("/a", 2, dir).add("/b", 2, dir).build());
  }

  @Test
  void countsInodesAndBytesOnce() {
    FileTree tree = sample();
    assertEquals(10, tree.inodeCount());
    assertEquals(14, tree.regularBytes());
    assertEquals(2, tree.linkCounts().get(3L));
  }
}
