package dominion.core.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import dominion.core.objectstore.MemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TarRoundTripTest {
  static final String CAP = "0100000280200000000000000000000000000000";
  static final String LONG_DIR = "/" + "d".repeat(120);
  static final String LONG_FILE = LONG_DIR + "/" + "f".repeat(200);

  @TempDir Path dir;

  /** A tree with every kind of inode and every value ustar cannot hold. */
  static FileTree richTree(MemoryObjectStore store) {
    return richTree(store, 100);
  }

  /** The same, with a file of {@code bigSize} random bytes at /bin/big. */
  static FileTree richTree(MemoryObjectStore store, int bigSize) {
    Hash su = store.put("su binary".getBytes(StandardCharsets.UTF_8));
    Hash ping = store.put("ping binary".getBytes(StandardCharsets.UTF_8));
    Hash empty = store.put(new byte[0]);
    byte[] big = new byte[bigSize];
    new Random(7).nextBytes(big);
    Hash bigHash = store.put(big);
    RegularInode suInode = new RegularInode(0104755, 0, 0, 1_700_000_000_123_456_789L, 9, su, null);
    RegularInode deep =
        new RegularInode(0100600, 3_000_000, (int) 4_000_000_000L, -1_500_000_001L, 0, empty, null);
    return new FileTree.Builder()
        .add("/", 1, DirectoryInode.of(0750, 0, 0, 1_700_000_000_000_000_001L))
        .add("/bin", 2, DirectoryInode.of(0755, 0, 0, 0))
        .add("/bin/su", 3, suInode)
        .add("/bin/su-link", 3, suInode)
        .add("/bin/ping", 4, new RegularInode(0100755, 0, 0, 5, 11, ping, CAP))
        .add("/bin/big", 5, RegularInode.of(0644, 1, 1, 77_000_000_000L, big.length, bigHash))
        .add(LONG_DIR, 6, DirectoryInode.of(02775, 5, 6, 0))
        .add(LONG_FILE, 7, deep)
        .add(LONG_DIR + "/" + "h".repeat(150), 7, deep)
        .add("/link", 8, SymlinkInode.of(1, 2, 3, "t/".repeat(80) + "x"))
        .add("/short-link", 9, SymlinkInode.of(0, 0, 0, "bin/su"))
        .add("/dev", 10, DirectoryInode.of(0755, 0, 0, 0))
        .add("/dev/null", 11, new SpecialInode(0020666, 0, 0, 0, SpecialInode.makeDev(1, 3)))
        .add(
            "/dev/big",
            12,
            new SpecialInode(0060600, 0, 6, 0, SpecialInode.makeDev(300_000, 4_000_000)))
        .add("/dev/fifo", 13, new SpecialInode(0010620, 0, 0, 999, 0))
        .add("/\u00e9t\u00e9", 14, DirectoryInode.of(01777, 1000, 1000, 0))
        .add("/\u00e9t\u00e9/\u65e5\u672c", 15, RegularInode.of(0444, 0, 0, 0, 9, su))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void exportThenImportGivesAnEqualTree(Compression compression) throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    FileTree tree = richTree(store);
    Path archive = dir.resolve("image.tar");
    new TarExporter(new TarExporter.Config(compression), store).export(tree, archive);

    MemoryObjectStore imported = new MemoryObjectStore();
    FileTree back = TarImporter.importInto(archive, imported);

    assertEquals(tree, back);
    assertSame(back.get("/bin/su").inode(), back.get("/bin/su-link").inode());
    assertSame(back.get(LONG_FILE).inode(), back.get(LONG_DIR + "/" + "h".repeat(150)).inode());
    assertEquals(store.count(), imported.count());
    for (var e : back.entries()) {
      if (e.inode() instanceof RegularInode r) {
        assertArrayEquals(
            store.get(r.hash()).readAllBytes(), imported.get(r.hash()).readAllBytes());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Compression.class,
      names = {"NONE", "GZIP"})
  void filesLargerThanTheBuffersRoundTrip(Compression compression) throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    FileTree tree = richTree(store, 3 * (1 << 20) + 5);
    Path archive = dir.resolve("big.tar");
    new TarExporter(new TarExporter.Config(compression), store).export(tree, archive);
    assertEquals(tree, TarImporter.scan(archive));
  }

  @Test
  void plainArchivesAreWholeRecordsAndUsePaxOnlyWhenNeeded() throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    Hash h = store.put("x".getBytes(StandardCharsets.UTF_8));
    FileTree simple =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/f", 2, RegularInode.of(0644, 0, 0, 1_000_000_000L, 1, h))
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TarExporter(TarExporter.Config.PLAIN, store).export(simple, out);
    byte[] bytes = out.toByteArray();
    assertEquals(0, bytes.length % 10240);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(!text.contains("PaxHeaders"), "no pax header for plain values");
    assertTrue(text.startsWith("./"));
  }

  @Test
  void capabilityBytesAboveAsciiSurvive() throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    Hash h = store.put("x".getBytes(StandardCharsets.UTF_8));
    String allBytes = "01000002ffffffff80808080fefefefe00000000";
    FileTree tree =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/f", 2, new RegularInode(0100755, 0, 0, 0, 1, h, allBytes))
            .build();
    Path archive = dir.resolve("caps.tar.gz");
    new TarExporter(new TarExporter.Config(Compression.GZIP), store).export(tree, archive);
    assertEquals(
        allBytes, ((RegularInode) TarImporter.scan(archive).get("/f").inode()).capability());
  }

  @Test
  void paxRecordsRoundTrip() {
    Map<String, byte[]> records =
        Map.of(
            "path",
            "x".repeat(95).getBytes(StandardCharsets.UTF_8),
            "SCHILY.xattr.security.capability",
            new byte[] {0, 10, (byte) 0x80, '=', ' '});
    Map<String, byte[]> back = PaxRecords.parse(PaxRecords.format(records));
    assertEquals(records.keySet(), back.keySet());
    records.forEach((k, v) -> assertArrayEquals(v, back.get(k)));
    assertEquals(-1_500_000_001L, PaxRecords.parseTime(PaxRecords.formatTime(-1_500_000_001L)));
    assertEquals("-0.000000042", PaxRecords.formatTime(-42));
    assertEquals("1700000000.1", PaxRecords.formatTime(1_700_000_000_100_000_000L));
    assertEquals(1_700_000_000_123_456_789L, PaxRecords.parseTime("1700000000.1234567891"));
  }
}
