package dominion.imagetool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.TreeScanner;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.core.image.Triggers;
import dominion.core.objectstore.MemoryObjectStore;
import dominion.core.tar.Compression;
import dominion.core.tar.TarExporter;
import dominion.core.tar.TarImporter;
import dominion.imagetool.ToolFixture.Run;
import dominion.imagetool.ToolFixture.TreeMaker;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GetAndTarTest {
  @TempDir Path dir;
  ToolFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ToolFixture(dir.resolve("server"));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static void ok(Run r) {
    assertEquals(0, r.code(), () -> "exit " + r.code() + "; stderr: " + r.err());
  }

  private static boolean root() throws Exception {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  /** A directory with every kind of inode the user running the test can make. */
  private Path makeRoot() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.write(root.resolve("usr/bin/tool"), new byte[200_000]);
    Posix.chmod(root.resolve("usr/bin/tool"), 04755);
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "PermitRootLogin no\n");
    Files.createLink(root.resolve("etc/ssh/hard"), root.resolve("etc/ssh/sshd_config"));
    Files.write(root.resolve("etc/empty"), new byte[0]);
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Posix.mknod(root.resolve("etc/fifo"), 0010644, 0);
    if (root()) {
      Files.createDirectories(root.resolve("dev"));
      Posix.mknod(root.resolve("dev/null"), 0020666, SpecialInode.makeDev(1, 3));
      Posix.lchown(root.resolve("etc/passwd"), 1234, 5678);
      Posix.setCapability(root.resolve("usr/bin/tool"), "0100000200200000000000000000000000000000");
    }
    Posix.setMtime(root.resolve("etc/passwd"), 1_600_000_000_123_456_789L);
    Posix.setMtime(root.resolve("etc"), 1_500_000_000_000_000_001L);
    return root;
  }

  private static FileTree scan(Path p) throws Exception {
    return TreeScanner.plain().scan(p).tree();
  }

  @Test
  void getRoundTripsContentAndMetadata() throws Exception {
    Path src = makeRoot();
    ok(f.tool("add", "img", src.toString(), "", ""));
    Path out = dir.resolve("out");
    Run r = f.tool("get", "img", out.toString());
    ok(r);
    assertTrue(r.out().startsWith("wrote image img into "), r.out());

    Image image = f.images.getImage(ImageName.of("img"));
    FileTree back = scan(out);
    assertEquals(List.of(), ImageDiff.compare(image.tree(), back));
    for (Entry e : back.entries()) {
      if (e.inode() instanceof RegularInode) {
        Path a = src.resolve(e.path().substring(1));
        Path b = out.resolve(e.path().substring(1));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), e.path());
      }
      assertEquals(
          image.tree().get(e.path()).inode().mtimeNanos(), e.inode().mtimeNanos(), e.path());
    }
    assertEquals(back.get("/etc/ssh/hard").inum(), back.get("/etc/ssh/sshd_config").inum());
    if (root()) {
      assertEquals(1234, back.get("/etc/passwd").inode().uid());
      assertEquals(
          "0100000200200000000000000000000000000000",
          ((RegularInode) back.get("/usr/bin/tool").inode()).capability());
      assertEquals(
          SpecialInode.makeDev(1, 3), ((SpecialInode) back.get("/dev/null").inode()).rdev());
    }
    // The target must be new or empty.
    Run again = f.tool("get", "img", out.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains("not empty"), again.err());
  }

  @Test
  void tarWritesAnArchiveThatImportsToTheSameTree() throws Exception {
    Path src = makeRoot();
    ok(f.tool("add", "img", src.toString(), "", ""));
    FileTree tree = f.images.getImage(ImageName.of("img")).tree();
    Path plain = dir.resolve("img.tar");
    ok(f.tool("tar", "img", plain.toString()));
    assertEquals(List.of(), ImageDiff.compare(tree, TarImporter.scan(plain)));
    Path gz = dir.resolve("img.tar.gz");
    ok(f.tool("tar", "--compress", "img", gz.toString()));
    byte[] head = Arrays.copyOf(Files.readAllBytes(gz), 2);
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, head);
    assertEquals(List.of(), ImageDiff.compare(tree, TarImporter.scan(gz)));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code =
        ImagetoolMain.run(
            new String[] {
              "--insecure", "--image-server", "127.0.0.1:" + f.server.port(), "tar", "img"
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            stdout);
    assertEquals(0, code, err.toString());
    assertArrayEquals(Files.readAllBytes(plain), stdout.toByteArray());
    assertEquals(1, f.tool("tar", "nope", dir.resolve("x.tar").toString()).code());
  }

  @Test
  void addsFromATarGzWithAFilter() throws Exception {
    TreeMaker m = ToolFixture.sample().dir("/var").dir("/var/log").file("/var/log/syslog", "x");
    Image image = m.image(null, Triggers.NONE);
    MemoryObjectStore store = new MemoryObjectStore();
    m.contents.values().forEach(store::put);
    Path archive = dir.resolve("src.tar.gz");
    new TarExporter(new TarExporter.Config(Compression.GZIP), store).export(image.tree(), archive);
    Path filter = dir.resolve("filter");
    Files.writeString(filter, "/var/log/.*\n");

    Run r = f.tool("add", "fromtar", archive.toString(), filter.toString(), "");
    ok(r);
    assertTrue(r.out().contains("uploaded 2 of 2 objects"), r.out());
    FileTree got = f.images.getImage(ImageName.of("fromtar")).tree();
    assertEquals(
        List.of(),
        ImageDiff.compare(
            Sources.without(image.tree(), Filter.parse(List.of("/var/log/.*"))), got));
    assertEquals(null, got.get("/var/log/syslog"));
  }

  @Test
  void corruptOrTruncatedArchiveAddsNothing() throws Exception {
    TreeMaker m = ToolFixture.sample();
    MemoryObjectStore store = new MemoryObjectStore();
    m.contents.values().forEach(store::put);
    Path good = dir.resolve("good.tar.gz");
    new TarExporter(new TarExporter.Config(Compression.GZIP), store)
        .export(m.image(null, Triggers.NONE).tree(), good);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.tar.gz");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path junk = dir.resolve("junk.tar");
    Files.writeString(junk, "this is not a tar archive at all, not even close".repeat(20));
    for (Path bad : List.of(truncated, junk)) {
      Run r = f.tool("add", "x", bad.toString(), "", "");
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains(bad.toString()), r.err());
    }
    assertEquals(List.of(), f.images.listImages());
    assertEquals(0, f.server.objects().count());
    assertEquals(Map.of(), Map.of());
  }
}
