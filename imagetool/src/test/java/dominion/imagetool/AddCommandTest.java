package dominion.imagetool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.Entry;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.imagetool.ToolFixture.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AddCommandTest {
  @TempDir Path dir;
  ToolFixture f;
  Path root;

  @BeforeEach
  void start() throws Exception {
    f = new ToolFixture(dir.resolve("server"));
    root = dir.resolve("root");
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.createDirectories(root.resolve("var/log"));
    Files.createDirectories(root.resolve("tmp"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "PermitRootLogin no\n");
    Files.createLink(root.resolve("etc/ssh/hard"), root.resolve("etc/ssh/sshd_config"));
    Files.writeString(root.resolve("etc/copy"), "PermitRootLogin no\n");
    Files.write(root.resolve("etc/empty"), new byte[0]);
    Files.writeString(root.resolve("var/log/syslog"), "noise\n");
    Files.writeString(root.resolve("tmp/x"), "scratch\n");
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static void ok(Run r) {
    assertEquals(0, r.code(), () -> "exit " + r.code() + "; stderr: " + r.err());
  }

  @Test
  void addsADirectoryLeavingOutFilteredPathsAndUploadsOnlyWhatIsMissing() throws Exception {
    Path filter = dir.resolve("filter");
    Files.writeString(filter, "/var/log/.*\n/tmp/.*\n");
    Path triggers = dir.resolve("triggers");
    Files.writeString(triggers, "[{\"MatchLines\": [\"/etc/ssh/.*\"], \"Service\": \"sshd\"}]");
    Run r = f.tool("add", "first", root.toString(), filter.toString(), triggers.toString());
    ok(r);
    assertTrue(r.out().startsWith("added image first: "), r.out());
    assertTrue(r.out().contains("uploaded 3 of 3 objects"), r.out());

    Image image = f.images.getImage(ImageName.of("first"));
    assertNotNull(image.tree().get("/var/log"));
    assertNull(image.tree().get("/var/log/syslog"));
    assertNotNull(image.tree().get("/tmp"));
    assertNull(image.tree().get("/tmp/x"));
    assertEquals("usr/bin", ((SymlinkInode) image.tree().get("/bin").inode()).target());
    Entry config = image.tree().get("/etc/ssh/sshd_config");
    Entry hard = image.tree().get("/etc/ssh/hard");
    assertEquals(config.inum(), hard.inum());
    assertSame(config.inode(), hard.inode());
    assertEquals(List.of("/var/log/.*", "/tmp/.*"), image.filter().lines());
    assertEquals("sshd", image.triggers().list().getFirst().service());

    byte[] passwd = Files.readAllBytes(root.resolve("etc/passwd"));
    Hash h = ((RegularInode) image.tree().get("/etc/passwd").inode()).hash();
    assertEquals(Hash.of(passwd), h);
    f.objects.getObjects(List.of(h), (hash, n, in) -> assertArrayEquals(passwd, in.readAllBytes()));

    Files.writeString(root.resolve("etc/new"), "new content\n");
    Run second = f.tool("add", "second", root.toString(), "", "");
    ok(second);
    assertTrue(second.out().contains("(sparse)"), second.out());
    // Only the new file's content and the two files the filter left out the first time.
    assertTrue(second.out().contains("uploaded 3 of 6 objects"), second.out());
    assertTrue(f.images.getImage(ImageName.of("second")).sparse());
  }

  @Test
  void badFilterOrTriggersAddNothing() throws Exception {
    Path filter = dir.resolve("filter");
    Files.writeString(filter, "/var/log/.*\n*oops\n");
    Run r = f.tool("add", "x", root.toString(), filter.toString(), "");
    assertEquals(1, r.code());
    assertTrue(r.err().contains(filter.toString()) && r.err().contains("line 2"), r.err());
    Path triggers = dir.resolve("triggers");
    Files.writeString(triggers, "{not json");
    Run t = f.tool("add", "x", root.toString(), "", triggers.toString());
    assertEquals(1, t.code());
    assertTrue(t.err().contains("bad triggers JSON"), t.err());
    assertEquals(List.of(), f.images.listImages());
    assertEquals(0, f.server.objects().count());
  }

  @Test
  void takenNameFailsBeforeUploading() throws Exception {
    ok(f.tool("add", "x", root.toString(), "", ""));
    long objects = f.server.objects().count();
    Files.writeString(root.resolve("etc/more"), "more\n");
    Run again = f.tool("add", "x", root.toString(), "", "");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("x") && again.err().contains("taken"), again.err());
    assertEquals(objects, f.server.objects().count());
  }

  @Test
  void missingSourceFails() {
    Run r = f.tool("add", "x", dir.resolve("nowhere").toString(), "", "");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("nowhere"), r.err());
  }

  @Test
  void addedBytesMatchUtf8Names() throws Exception {
    Files.writeString(root.resolve("etc/caf\u00e9"), "cr\u00e8me\n", StandardCharsets.UTF_8);
    ok(f.tool("add", "utf", root.toString(), "", ""));
    assertNotNull(f.images.getImage(ImageName.of("utf")).tree().get("/etc/caf\u00e9"));
  }
}
