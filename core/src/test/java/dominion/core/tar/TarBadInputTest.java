package dominion.core.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.objectstore.MemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed or unsafe archive is refused with a message naming the entry, storing nothing.
 */
class TarBadInputTest {
  @TempDir Path dir;

  /**
   * Imports {@code bytes} into a fresh store and returns the error, checking nothing was stored.
   */
  private BadArchiveException refused(byte[] bytes, String... messageParts) throws IOException {
    Path archive = Files.write(dir.resolve("bad.tar"), bytes);
    MemoryObjectStore store = new MemoryObjectStore();
    BadArchiveException e =
        assertThrows(BadArchiveException.class, () -> TarImporter.importInto(archive, store));
    assertEquals(0, store.count(), "nothing may be stored from a bad archive");
    assertTrue(e.getMessage().startsWith("bad archive " + archive + ": "), e.getMessage());
    for (String part : messageParts) {
      assertTrue(e.getMessage().contains(part), "\"" + part + "\" missing from: " + e.getMessage());
    }
    return e;
  }

  private static TestArchive good() {
    return new TestArchive().dir("etc/").file("etc/passwd", "root:x:0:0\n").file("etc/motd", "hi");
  }

  private static byte[] compress(Compression c, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = c.compress(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void dotDotNamesAreRefused() throws IOException {
    refused(good().file("../evil", "x").finish(), "entry \"../evil\" (#3)", "\"..\" escapes");
    refused(new TestArchive().file("a/b/../../../evil", "x").finish(), "a/b/../../../evil");
    refused(new TestArchive().dir("../").finish(), "\"../\"");
  }

  @Test
  void aHardLinkLeavingTheTreeIsRefused() throws IOException {
    refused(good().hardLink("x", "../etc/passwd").finish(), "entry \"x\"", "link target");
  }

  @Test
  void absoluteNamesStayInsideTheTree() throws IOException {
    Path archive =
        new TestArchive()
            .file("/etc/passwd", "x")
            .file("//etc///group", "y")
            .writeTo(dir.resolve("a.tar"));
    FileTree tree = TarImporter.scan(archive);
    assertNotNull(tree.get("/etc/passwd"));
    assertNotNull(tree.get("/etc/group"));
    assertEquals(DirectoryInode.of(0755, 0, 0, 0), tree.get("/etc").inode());
    assertEquals(DirectoryInode.of(0755, 0, 0, 0), tree.root().inode());
  }

  @Test
  void anEntryThroughASymlinkIsRefused() throws IOException {
    refused(
        new TestArchive().symlink("link", "/etc").file("link/passwd", "evil").finish(),
        "entry \"link/passwd\" (#1)",
        "goes through the symlink /link");
    refused(
        new TestArchive().dir("a/").symlink("a/up", "../..").dir("a/up/b/").finish(),
        "entry \"a/up/b/\"",
        "symlink /a/up");
    refused(new TestArchive().symlink("l", ".").hardLink("l/x", "etc").finish(), "entry \"l/x\"");
  }

  @Test
  void aSymlinkReplacedByADirectoryIsFine() throws IOException {
    Path archive =
        new TestArchive()
            .symlink("link", "/etc")
            .dir("link/")
            .file("link/passwd", "ok")
            .writeTo(dir.resolve("a.tar"));
    FileTree tree = TarImporter.scan(archive);
    assertInstanceOf(DirectoryInode.class, tree.get("/link").inode());
    assertNotNull(tree.get("/link/passwd"));
  }

  @Test
  void aHardLinkToAMissingEntryIsRefused() throws IOException {
    refused(
        good().hardLink("bin/su", "bin/nothere").finish(), "entry \"bin/su\" (#3)", "bin/nothere");
    // Only earlier entries count.
    refused(
        new TestArchive().hardLink("early", "late").file("late", "x").finish(), "entry \"early\"");
  }

  @Test
  void aHardLinkToADirectoryIsRefused() throws IOException {
    refused(good().hardLink("x", "etc").finish(), "entry \"x\"", "directory");
  }

  @Test
  void laterDuplicatesWinButCannotTurnAFullDirectoryIntoAFile() throws IOException {
    Path archive =
        new TestArchive()
            .file("f", "first")
            .file("f", "second")
            .dir("d/")
            .file("d/x", "x")
            .dir("d/")
            .dir("empty/")
            .file("empty", "now a file")
            .writeTo(dir.resolve("dup.tar"));
    FileTree tree = TarImporter.scan(archive);
    assertEquals(
        Hash.of("second".getBytes(StandardCharsets.UTF_8)),
        ((RegularInode) tree.get("/f").inode()).hash());
    assertNotNull(tree.get("/d/x"));
    assertInstanceOf(RegularInode.class, tree.get("/empty").inode());

    refused(good().file("etc", "not a dir").finish(), "entry \"etc\" (#3)", "has entries");
    refused(good().symlink("etc", "/tmp").finish(), "entry \"etc\"", "symlink");
  }

  @Test
  void aFileCannotBeAParent() throws IOException {
    refused(new TestArchive().file("f", "x").file("f/g", "y").finish(), "entry \"f/g\"", "/f");
  }

  @Test
  void theRootMustBeADirectory() throws IOException {
    refused(new TestArchive().symlink("./", "x").finish(), "entry \"./\"", "replace the root");
    refused(new TestArchive().file(".", "x").finish(), "root");
  }

  @Test
  void aCorruptHeaderIsRefused() throws IOException {
    byte[] bytes = good().finish();
    byte[] corrupt = bytes.clone();
    corrupt[3 * 512 + 2] ^= 0x40; // the name of the third header, after etc/passwd's data block
    refused(corrupt, "checksum", "after entry \"etc/passwd\" (#1)");

    byte[] garbage = new byte[4096];
    new java.util.Random(1).nextBytes(garbage);
    refused(garbage, "checksum", "before the first entry");
  }

  @Test
  void aBadNumberIsRefused() throws IOException {
    byte[] bytes = good().finish();
    byte[] bad = bytes.clone();
    bad[TarFields.SIZE] = '9'; // the first header's size field
    byte[] header = Arrays.copyOf(bad, 512);
    TarFields.putChecksum(header);
    System.arraycopy(header, 0, bad, 0, 512);
    refused(bad, "bad size field", "bad octal digit");
  }

  @Test
  void truncatedArchivesAreRefused() throws IOException {
    byte[] bytes = good().finish();
    // etc/ header [0,512), passwd header [512,1024), data [1024,1536), motd header, data, EOF.
    refused(Arrays.copyOf(bytes, 0), "ends without its end-of-archive marker");
    refused(Arrays.copyOf(bytes, 300), "ends inside a header");
    refused(Arrays.copyOf(bytes, 1030), "\"etc/passwd\" (#1)", "truncated");
    refused(Arrays.copyOf(bytes, 1536), "end-of-archive marker", "after entry \"etc/passwd\"");
    refused(Arrays.copyOf(bytes, 2560), "end-of-archive marker", "after entry \"etc/motd\"");
    refused(Arrays.copyOf(bytes, 2560 + 700), "inside its end-of-archive marker");
    // A lone zero block is accepted, as GNU tar does.
    Path lone = Files.write(dir.resolve("lone.tar"), Arrays.copyOf(bytes, 2560 + 512));
    assertEquals(4, TarImporter.scan(lone).size());
  }

  @Test
  void aTruncatedPaxHeaderIsRefused() throws IOException {
    byte[] bytes = new TestArchive().file("x".repeat(150), "data").finish();
    refused(Arrays.copyOf(bytes, 512 + 100), "pax header", "truncated");
    refused(Arrays.copyOf(bytes, 1024), "end-of-archive marker");
  }

  @Test
  void truncatedOrCorruptCompressedArchivesAreRefused() throws IOException {
    byte[] plain = good().file("big", "z".repeat(50_000)).finish();
    for (Compression c :
        new Compression[] {Compression.GZIP, Compression.XZ, Compression.ZSTD, Compression.BZIP2}) {
      byte[] packed = compress(c, plain);
      for (int cut : new int[] {packed.length / 3, packed.length - 5, packed.length - 1}) {
        refused(Arrays.copyOf(packed, cut));
      }
    }
    byte[] gz = compress(Compression.GZIP, plain);
    gz[gz.length - 6] ^= 1; // the CRC in the trailer
    refused(gz);
  }

  @Test
  void namesThatAreNotUtf8AreRefused() throws IOException {
    byte[] bytes = good().finish();
    byte[] header = Arrays.copyOfRange(bytes, 512, 1024);
    header[4] = (byte) 0xff;
    TarFields.putChecksum(header);
    System.arraycopy(header, 0, bytes, 512, 512);
    refused(bytes, "entry #1", "not valid UTF-8");
  }

  @Test
  void sparseAndMultiVolumeMembersAreRefused() throws IOException {
    refused(
        new TestArchive().add(TestArchive.entry("s", TarEntry.GNU_SPARSE, 0644, 0, "")).finish(),
        "entry \"s\"",
        "sparse");
    refused(
        new TestArchive()
            .paxHeader(Map.of("GNU.sparse.major", "1".getBytes(StandardCharsets.UTF_8)))
            .file("p", "x")
            .finish(),
        "entry \"p\"",
        "sparse");
    refused(
        new TestArchive().add(TestArchive.entry("m", (byte) 'M', 0644, 0, "")).finish(),
        "multi-volume");
    refused(
        new TestArchive().add(TestArchive.entry("q", (byte) 'Q', 0644, 0, "")).finish(),
        "entry \"q\"",
        "unsupported type 'Q'");
  }

  @Test
  void anArchiveThatChangesBetweenPassesIsCaught() throws IOException {
    Path archive = new TestArchive().file("f", "before").writeTo(dir.resolve("a.tar"));
    TarImporter source = TarImporter.open(archive);
    new TestArchive().file("f", "after!").writeTo(archive);
    MemoryObjectStore store = new MemoryObjectStore();
    IOException e =
        assertThrows(
            IOException.class,
            () -> source.copyContents(source.contentHashes(), ContentSink.into(store)));
    assertTrue(e.getMessage().contains("hash mismatch"), e.getMessage());
    assertEquals(0, store.count());
  }
}
