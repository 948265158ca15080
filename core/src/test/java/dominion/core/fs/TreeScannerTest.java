package dominion.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeScannerTest {
  @TempDir Path dir;

  static Hash hashOf(String s) {
    return Hash.of(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void scansEveryKindOfInode() throws IOException {
    SampleDirectory.populate(dir);
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(dir.resolve("etc/sock")));
      TreeScanner.Result result = TreeScanner.plain().scan(dir);
      FileTree tree = result.tree();

      assertEquals(Posix.lstat(dir).ino(), tree.root().inum());
      assertNull(tree.get("/etc/sock"), "sockets are skipped");
      RegularInode su = assertInstanceOf(RegularInode.class, tree.get("/bin/su").inode());
      assertEquals(hashOf("su binary"), su.hash());
      assertEquals(9, su.size());
      assertEquals(04755, su.permissions());
      assertSame(su, tree.get("/bin/su-again").inode());
      assertEquals(tree.get("/bin/su").inum(), tree.get("/bin/su-again").inum());
      assertEquals(Posix.lstat(dir.resolve("bin/su")).ino(), tree.get("/bin/su").inum());
      RegularInode empty = assertInstanceOf(RegularInode.class, tree.get("/etc/empty").inode());
      assertEquals(Hash.of(new byte[0]), empty.hash());
      SymlinkInode link = assertInstanceOf(SymlinkInode.class, tree.get("/etc/su-link").inode());
      assertEquals("../bin//su", link.target());
      assertEquals(-42, link.mtimeNanos());
      assertEquals("/nowhere", ((SymlinkInode) tree.get("/dangling").inode()).target());
      DirectoryInode deep = assertInstanceOf(DirectoryInode.class, tree.get("/etc/deep").inode());
      assertEquals(01750, deep.permissions());
      RegularInode conf = (RegularInode) tree.get("/etc/deep/er/conf").inode();
      assertEquals(1_700_000_000_123_456_789L, conf.mtimeNanos());
      if (PosixTest.isRoot()) {
        assertEquals(PosixTest.CAP, ((RegularInode) tree.get("/bin/ping").inode()).capability());
        SpecialInode nul = assertInstanceOf(SpecialInode.class, tree.get("/dev/null").inode());
        assertEquals(FileType.CHAR_DEVICE, nul.type());
        assertEquals(SpecialInode.makeDev(1, 3), nul.rdev());
        assertEquals(FileType.BLOCK_DEVICE, tree.get("/dev/sda").inode().type());
        assertEquals(FileType.FIFO, tree.get("/dev/fifo").inode().type());
        assertEquals(123, link.uid());
        assertEquals(456, link.gid());
        assertEquals(3_000_000, conf.uid());
      }
      assertNull(((RegularInode) tree.get("/bin/su").inode()).capability());

      TreeScanner.Stats stats = result.stats();
      assertEquals(tree.size(), stats.entries());
      assertEquals(0, stats.vanished());
      // su and su-again are one inode, hashed once.
      assertEquals(4, stats.hashedFiles());
      assertEquals(9 + 11 + 4, stats.hashedBytes());
      assertEquals(4, stats.regularFiles());
    }
  }

  @Test
  void entriesAreInTreeOrderWithTheRootFirst() throws IOException {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a.b"), "x", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("a/b/c"), "x", StandardCharsets.UTF_8);
    List<String> paths = new ArrayList<>();
    TreeScanner.plain().scan(dir).tree().entries().forEach(e -> paths.add(e.path()));
    assertEquals(List.of("/", "/a", "/a/b", "/a/b/c", "/a.b"), paths);
  }

  @Test
  void filterExcludesSubtreesAndKeepsTheirParents() throws IOException {
    Files.createDirectories(dir.resolve("var/log/old"));
    Files.createDirectories(dir.resolve("tmp/x"));
    Files.createDirectories(dir.resolve("keep"));
    Files.writeString(dir.resolve("var/log/old/syslog"), "x", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("tmp/x/y"), "x", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("keep/file"), "x", StandardCharsets.UTF_8);
    Filter filter = Filter.parse(List.of("/var/log", "/tmp/.*"));
    FileTree tree =
        new TreeScanner(new TreeScanner.Config(filter, null), ContentHasher.sha512())
            .scan(dir)
            .tree();
    assertNotNull(tree.get("/var"));
    assertNull(tree.get("/var/log"));
    assertNull(tree.get("/var/log/old/syslog"));
    assertNotNull(tree.get("/tmp"));
    assertNull(tree.get("/tmp/x"));
    assertNull(tree.get("/tmp/x/y"));
    assertNotNull(tree.get("/keep/file"));
  }

  @Test
  void skipsGivenAbsoluteDirectories() throws IOException {
    Files.createDirectories(dir.resolve(".subd/objects"));
    Files.writeString(dir.resolve(".subd/objects/o"), "x", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("file"), "x", StandardCharsets.UTF_8);
    TreeScanner scanner =
        new TreeScanner(
            new TreeScanner.Config(null, Set.of(dir.resolve("./.subd"))), ContentHasher.sha512());
    FileTree tree = scanner.scan(dir).tree();
    assertNull(tree.get("/.subd"));
    assertNotNull(tree.get("/file"));
    assertEquals(2, tree.size());
  }

  @Test
  void doesNotCrossIntoOtherMounts() throws Exception {
    assumeTrue(PosixTest.isRoot(), "mounting needs root");
    Path mnt = Files.createDirectories(dir.resolve("mnt"));
    Files.writeString(dir.resolve("file"), "x", StandardCharsets.UTF_8);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "none", mnt.toString()).start();
    boolean done = mount.waitFor(10, TimeUnit.SECONDS);
    assumeTrue(done && mount.exitValue() == 0, "cannot mount a tmpfs here");
    try {
      Files.writeString(mnt.resolve("inside"), "x", StandardCharsets.UTF_8);
      FileTree tree = TreeScanner.plain().scan(dir).tree();
      assertNull(tree.get("/mnt"));
      assertNull(tree.get("/mnt/inside"));
      assertNotNull(tree.get("/file"));
    } finally {
      new ProcessBuilder("umount", mnt.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileThatVanishesIsSkipped() throws IOException {
    Files.writeString(dir.resolve("stays"), "x", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("goes"), "x", StandardCharsets.UTF_8);
    ContentHasher plain = ContentHasher.sha512();
    ContentHasher deleting =
        (file, stat) -> {
          if (file.getFileName().toString().equals("goes")) {
            Files.delete(file);
          }
          return plain.hash(file, stat);
        };
    TreeScanner.Result result = new TreeScanner(TreeScanner.Config.ALL, deleting).scan(dir);
    assertNull(result.tree().get("/goes"));
    assertNotNull(result.tree().get("/stays"));
    assertEquals(1, result.stats().vanished());
  }

  @Test
  void aFileThatChangesWhileReadIsReadAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("log"), "first", StandardCharsets.UTF_8);
    ContentHasher plain = ContentHasher.sha512();
    int[] calls = {0};
    ContentHasher appending =
        (f, stat) -> {
          if (calls[0]++ == 0) {
            Files.writeString(file, "first and more", StandardCharsets.UTF_8);
          }
          return plain.hash(f, stat);
        };
    FileTree tree = new TreeScanner(TreeScanner.Config.ALL, appending).scan(dir).tree();
    assertEquals(2, calls[0]);
    assertEquals(hashOf("first and more"), ((RegularInode) tree.get("/log").inode()).hash());
    assertEquals(14, ((RegularInode) tree.get("/log").inode()).size());
  }

  @Test
  void aFileThatNeverHoldsStillIsLeftOut() throws IOException {
    Files.writeString(dir.resolve("busy"), "x", StandardCharsets.UTF_8);
    ContentHasher changing =
        (f, stat) -> {
          throw new ContentChangedException(f, "test");
        };
    TreeScanner.Result result = new TreeScanner(TreeScanner.Config.ALL, changing).scan(dir);
    assertNull(result.tree().get("/busy"));
    assertEquals(1, result.stats().vanished());
  }

  @Test
  void theRootMustBeADirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x", StandardCharsets.UTF_8);
    NotDirectoryException e =
        assertThrows(NotDirectoryException.class, () -> TreeScanner.plain().scan(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void defaultHasherMatchesKnownDigests() throws IOException {
    byte[] big = new byte[3 * (1 << 20) + 17];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Path file = Files.write(dir.resolve("big"), big);
    ContentHasher hasher = ContentHasher.sha512();
    assertEquals(Hash.of(big), hasher.hash(file, Posix.lstat(file)));
    Path abc = Files.writeString(dir.resolve("abc"), "abc", StandardCharsets.UTF_8);
    assertEquals(
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        hasher.hash(abc, Posix.lstat(abc)).hex());
    Posix.Stat stale = Posix.lstat(file);
    Files.write(file, new byte[10]);
    assertThrows(ContentChangedException.class, () -> hasher.hash(file, stale));
  }
}
