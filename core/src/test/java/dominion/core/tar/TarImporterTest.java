package dominion.core.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SampleDirectory;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreeMaterializer;
import dominion.core.fs.TreeScanner;
import dominion.core.hash.Hash;
import dominion.core.objectstore.MemoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarImporterTest {
  static final String LONG =
      "/etc/a-directory-name-that-is-long-enough-to-need-more-than-the-hundred-bytes-of-a-ustar"
          + "-name-field";
  static final long MTIME = 1_700_000_000_123_456_789L;

  @TempDir Path dir;

  private Path fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      // Copied under a neutral name: compression is told by content, not by extension.
      Path copy = dir.resolve(name.replace('.', '_'));
      Files.copy(in, copy);
      return copy;
    }
  }

  private static Hash hashOf(String s) {
    return Hash.of(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Made by GNU tar 1.34 (see make-fixtures.sh) in pax format, three compressions. */
  @ParameterizedTest
  @ValueSource(strings = {"gnu-pax.tar.gz", "gnu-pax.tar.xz", "gnu-pax.tar.zst"})
  void readsGnuTarPaxArchives(String name) throws IOException {
    FileTree tree = TarImporter.scan(fixture(name));
    checkFixture(tree, MTIME);
    RegularInode ping = (RegularInode) tree.get("/bin/ping").inode();
    assertEquals("0100000280200000000000000000000000000000", ping.capability());
  }

  /** Made by GNU tar in its own format: long names as 'L' members, seconds-only mtimes. */
  @Test
  void readsGnuTarGnuArchives() throws IOException {
    FileTree tree = TarImporter.scan(fixture("gnu-gnu.tgz"));
    checkFixture(tree, MTIME / 1_000_000_000L * 1_000_000_000L);
  }

  private static void checkFixture(FileTree tree, long mtime) {
    assertEquals(14, tree.size());
    assertEquals(0040700, tree.root().inode().mode());
    RegularInode su = (RegularInode) tree.get("/bin/su").inode();
    assertEquals(0104755, su.mode());
    assertEquals(hashOf("su binary\n"), su.hash());
    assertEquals(mtime, su.mtimeNanos());
    assertSame(su, tree.get("/bin/su-link").inode());
    assertEquals(tree.get("/bin/su").inum(), tree.get("/bin/su-link").inum());
    assertEquals(041777, tree.get("/etc").inode().mode());
    RegularInode deep = (RegularInode) tree.get(LONG + "/file-with-a-long-name-too.conf").inode();
    assertEquals(hashOf("deep\n"), deep.hash());
    RegularInode empty = (RegularInode) tree.get("/etc/empty").inode();
    assertEquals(3_000_000, empty.uid());
    assertEquals(2_200_000, empty.gid());
    assertEquals(Hash.of(new byte[0]), empty.hash());
    SymlinkInode link = (SymlinkInode) tree.get("/etc/su-symlink").inode();
    assertEquals("../bin/su", link.target());
    assertEquals(7, link.uid());
    assertEquals(8, link.gid());
    SpecialInode nul = (SpecialInode) tree.get("/dev/null").inode();
    assertEquals(FileType.CHAR_DEVICE, nul.type());
    assertEquals(SpecialInode.makeDev(1, 3), nul.rdev());
    SpecialInode sda = (SpecialInode) tree.get("/dev/sda1").inode();
    assertEquals(FileType.BLOCK_DEVICE, sda.type());
    assertEquals(SpecialInode.makeDev(8, 1), sda.rdev());
    assertEquals(FileType.FIFO, tree.get("/dev/fifo").inode().type());
  }

  @Test
  void theThreeCompressionsGiveOneTree() throws IOException {
    FileTree gz = TarImporter.scan(fixture("gnu-pax.tar.gz"));
    assertEquals(gz, TarImporter.scan(fixture("gnu-pax.tar.xz")));
    assertEquals(gz, TarImporter.scan(fixture("gnu-pax.tar.zst")));
  }

  @Test
  void copyContentsSendsEachWantedContentOnce() throws IOException {
    Path archive =
        new TestArchive()
            .file("a", "same")
            .file("b", "same")
            .file("c", "other")
            .file("d", "unwanted")
            .hardLink("e", "c")
            .writeTo(dir.resolve("a.tar"));
    TarImporter source = TarImporter.open(archive);
    assertEquals(3, source.contentHashes().size());
    List<String> got = new ArrayList<>();
    source.copyContents(
        Set.of(hashOf("same"), hashOf("other")),
        (hash, size, data) -> {
          String text = new String(data.readAllBytes(), StandardCharsets.UTF_8);
          assertEquals(hash, hashOf(text));
          assertEquals(text.length(), size);
          got.add(text);
        });
    assertEquals(List.of("same", "other"), got);
    source.copyContents(Set.of(), (h, s, d) -> got.add("never"));
    assertEquals(2, got.size());
    assertThrows(
        IllegalArgumentException.class,
        () -> source.copyContents(Set.of(hashOf("absent")), (h, s, d) -> {}));
  }

  @Test
  void aSinkMayLeaveDataUnread() throws IOException {
    Path archive =
        new TestArchive().file("a", "x".repeat(5000)).file("b", "y").writeTo(dir.resolve("a.tar"));
    List<Hash> got = new ArrayList<>();
    TarImporter.copyContents(
        archive, Set.of(hashOf("x".repeat(5000)), hashOf("y")), (h, s, d) -> got.add(h));
    assertEquals(2, got.size());
  }

  @Test
  void importSourceOpensDirectoriesAndArchivesAlike() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/etc"));
    Files.writeString(src.resolve("passwd"), "root\n", StandardCharsets.UTF_8);
    Files.writeString(src.resolve("group"), "root\n", StandardCharsets.UTF_8);
    Posix.setMtime(src, 0);
    ImportSource fromDir = ImportSource.open(dir.resolve("src"));
    assertInstanceOf(DirectorySource.class, fromDir);
    MemoryObjectStore dirStore = new MemoryObjectStore();
    FileTree tree = fromDir.importInto(dirStore);
    assertEquals(1, dirStore.count());

    Path archive = dir.resolve("src.tar.zst");
    new TarExporter(new TarExporter.Config(Compression.ZSTD), dirStore).export(tree, archive);
    ImportSource fromTar = ImportSource.open(archive);
    assertInstanceOf(TarImporter.class, fromTar);
    MemoryObjectStore tarStore = new MemoryObjectStore();
    assertEquals(tree, fromTar.importInto(tarStore));
    assertEquals(1, tarStore.count());
  }

  @Test
  void aDirectoryFileChangedBetweenPassesIsCaught() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("f"), "before", StandardCharsets.UTF_8);
    ImportSource source = ImportSource.open(src);
    Files.writeString(src.resolve("f"), "after!", StandardCharsets.UTF_8);
    MemoryObjectStore store = new MemoryObjectStore();
    IOException e = assertThrows(IOException.class, () -> source.importInto(store));
    assertTrue(e.getMessage().contains("hash mismatch"), e.getMessage());
    assertEquals(0, store.count());
  }

  @Test
  void missingParentsAreMadeAndTheRootDefaults() throws IOException {
    Path archive = new TestArchive().file("a/b/c", "x").writeTo(dir.resolve("a.tar"));
    FileTree tree = TarImporter.scan(archive);
    assertEquals(DirectoryInode.of(0755, 0, 0, 0), tree.root().inode());
    assertEquals(DirectoryInode.of(0755, 0, 0, 0), tree.get("/a").inode());
    assertEquals(DirectoryInode.of(0755, 0, 0, 0), tree.get("/a/b").inode());
    assertNull(tree.get("/a/b/c/d"));
  }

  private static boolean run(Path cwd, String... command) throws Exception {
    try {
      Process p =
          new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** GNU tar's archive of a directory imports to the tree a scan of that directory gives. */
  @Test
  void gnuTarArchivesOfADirectoryMatchItsScan() throws Exception {
    assumeTrue(run(dir, "tar", "--version"), "GNU tar is not installed");
    Path src = Files.createDirectory(dir.resolve("src"));
    SampleDirectory.populate(src);
    Path archive = dir.resolve("gnu.tar");
    assumeTrue(
        run(
            src,
            "tar",
            "--format=pax",
            "--xattrs",
            "--xattrs-include=security.capability",
            "--numeric-owner",
            "-cf",
            archive.toString(),
            "."),
        "tar failed");
    assertEquals(TreeScanner.plain().scan(src).tree(), TarImporter.scan(archive));
  }

  /** GNU tar extracts our archives into the tree they came from. */
  @Test
  void gnuTarExtractsOurArchives() throws Exception {
    assumeTrue(run(dir, "tar", "--version"), "GNU tar is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")), "extracting owners needs root");
    Path src = Files.createDirectory(dir.resolve("src"));
    SampleDirectory.populate(src);
    FileTree tree = TreeScanner.plain().scan(src).tree();
    MemoryObjectStore store = new MemoryObjectStore();
    DirectorySource source = new DirectorySource(src, tree);
    source.importInto(store);
    Path archive = dir.resolve("ours.tar.gz");
    new TarExporter(new TarExporter.Config(Compression.GZIP), store).export(tree, archive);
    Path out = Files.createDirectory(dir.resolve("out"));
    assertTrue(
        run(
            out,
            "tar",
            "--xattrs",
            "--xattrs-include=security.capability",
            "--numeric-owner",
            "-xpzf",
            archive.toString()));
    assertEquals(tree, TreeScanner.plain().scan(out).tree());
  }

  /** The materializer writes an imported archive out as GNU tar would. */
  @Test
  void importedArchivesMaterialize() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "devices and owners need root");
    MemoryObjectStore store = new MemoryObjectStore();
    FileTree tree = TarImporter.importInto(fixture("gnu-pax.tar.xz"), store);
    Path out = dir.resolve("out");
    new TreeMaterializer(TreeMaterializer.Config.EXACT, store).materialize(tree, out);
    assertEquals(tree, TreeScanner.plain().scan(out).tree());
  }
}
