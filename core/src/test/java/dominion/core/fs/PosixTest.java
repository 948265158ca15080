package dominion.core.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
  /** A capability granting cap_setuid and cap_net_raw, effective (bytes above 0x7f included). */
  static final String CAP = "0100000280200000000000000000000000000000";

  @TempDir Path dir;

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void lstatAgreesWithTheJdk() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "hello", StandardCharsets.UTF_8);
    Path link = Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_123L));
    for (Path p : new Path[] {dir, file, link}) {
      Posix.Stat st = Posix.lstat(p);
      Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
      assertEquals(a.get("dev"), st.dev(), p.toString());
      assertEquals(a.get("ino"), st.ino());
      assertEquals(a.get("mode"), st.mode());
      assertEquals(a.get("nlink"), st.nlink());
      assertEquals(a.get("uid"), st.uid());
      assertEquals(a.get("gid"), st.gid());
      assertEquals(a.get("size"), st.size());
      FileTime mtime = (FileTime) a.get("lastModifiedTime");
      assertEquals(
          mtime.toInstant().getEpochSecond() * 1_000_000_000L + mtime.toInstant().getNano(),
          st.mtimeNanos());
    }
    assertTrue(Posix.lstat(dir).isDirectory());
    assertTrue(Posix.lstat(file).isRegular());
    assertTrue(Posix.lstat(link).isSymlink());
    assertEquals(1_700_000_000_123_000_000L, Posix.lstat(file).mtimeNanos());
  }

  @Test
  void renameNoReplaceRenamesButNeverReplaces() throws IOException {
    Path a = Files.writeString(dir.resolve("a"), "a");
    Path b = Files.writeString(dir.resolve("b"), "b");
    Path c = dir.resolve("c");
    long inode = Posix.lstat(a).ino();
    // This file system (the build's temporary directory) supports the flag; false would mean not.
    assertTrue(Posix.renameNoReplace(a, c));
    assertFalse(Files.exists(a));
    assertEquals(inode, Posix.lstat(c).ino());
    assertThrows(FileAlreadyExistsException.class, () -> Posix.renameNoReplace(c, b));
    assertEquals("a", Files.readString(c));
    assertEquals("b", Files.readString(b));
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class, () -> Posix.renameNoReplace(c, dir.resolve("no/c")));
    assertTrue(e.getMessage().contains(c.toString()), e.getMessage());
    assertEquals("a", Files.readString(c));
  }

  @Test
  void lstatOfAMissingFileNamesIt() throws IOException {
    Path missing = dir.resolve("nope");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Posix.lstat(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    assertNull(Posix.lstatIfExists(missing));
    assertNull(Posix.lstatIfExists(dir.resolve("nope/below")));
  }

  @Test
  void lstatIfExistsIsNullOnlyForMissingPaths() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x", StandardCharsets.UTF_8);
    assertEquals(1, Posix.lstatIfExists(file).size());
    assertNull(Posix.lstatIfExists(file.resolve("below")), "ENOTDIR: a file's child is missing");
    Files.createSymbolicLink(dir.resolve("a"), dir.resolve("b"));
    Files.createSymbolicLink(dir.resolve("b"), dir.resolve("a"));
    IOException loop =
        assertThrows(IOException.class, () -> Posix.lstatIfExists(dir.resolve("a/x")));
    assertTrue(loop.getMessage().contains("symbolic links"), loop.getMessage());
  }

  @Test
  void capabilityRoundTrips() throws IOException {
    assumeTrue(isRoot(), "setting security.capability needs root");
    Path file = Files.writeString(dir.resolve("ping"), "x", StandardCharsets.UTF_8);
    assertNull(Posix.getCapability(file));
    Posix.setCapability(file, CAP);
    assertEquals(CAP, Posix.getCapability(file));
    Posix.setCapability(file, null);
    assertNull(Posix.getCapability(file));
    Posix.setCapability(file, null);
  }

  @Test
  void xattrsOfAnyLength() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x", StandardCharsets.UTF_8);
    byte[] big = new byte[3000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    Posix.setXattr(file, "user.big", big);
    assertArrayEquals(big, Posix.getXattr(file, "user.big"));
    Posix.removeXattr(file, "user.big");
    assertNull(Posix.getXattr(file, "user.big"));
  }

  @Test
  void mknodMakesDevicesAndFifos() throws IOException {
    assumeTrue(isRoot(), "mknod of devices needs root");
    Path nul = dir.resolve("null");
    Path fifo = dir.resolve("fifo");
    long rdev = SpecialInode.makeDev(1, 3);
    Posix.mknod(nul, 0020666, rdev);
    Posix.mknod(fifo, 0010644, 0);
    assertEquals(rdev, Posix.lstat(nul).rdev());
    assertEquals(0020000, Posix.lstat(nul).mode() & FileType.TYPE_MASK);
    assertEquals(0010000, Posix.lstat(fifo).mode() & FileType.TYPE_MASK);
    long big = SpecialInode.makeDev(259, 70000);
    Posix.mknod(dir.resolve("big"), 0060600, big);
    assertEquals(big, Posix.lstat(dir.resolve("big")).rdev());
    PosixException e = assertThrows(PosixException.class, () -> Posix.mknod(fifo, 0010644, 0));
    assertTrue(e.getMessage().startsWith("mknod " + fifo + ": File exists"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Posix.mknod(dir.resolve("r"), 0100644, 0));
  }

  @Test
  void ownersModesAndTimesOfTheLinkItself() throws IOException {
    assumeTrue(isRoot(), "chown needs root");
    Path file = Files.writeString(dir.resolve("f"), "x", StandardCharsets.UTF_8);
    Path link = dir.resolve("l");
    Posix.symlink("f", link);
    Posix.lchown(link, 1234, 5678);
    Posix.lchown(file, (int) 4_000_000_000L, 7);
    assertEquals(1234, Posix.lstat(link).uid());
    assertEquals(5678, Posix.lstat(link).gid());
    assertEquals((int) 4_000_000_000L, Posix.lstat(file).uid());
    Posix.chmod(file, 06755);
    assertEquals(06755, Posix.lstat(file).permissions());
    Posix.setMtime(link, -1_500_000_001L);
    Posix.setMtime(file, 1_234_567_890_987_654_321L);
    assertEquals(-1_500_000_001L, Posix.lstat(link).mtimeNanos());
    assertEquals(1_234_567_890_987_654_321L, Posix.lstat(file).mtimeNanos());
  }

  @Test
  void symlinkTargetsAreKeptByteForByte() throws IOException {
    Path link = dir.resolve("l");
    Posix.symlink("a//b/./", link);
    assertEquals("a//b/./", Posix.readlink(link));
    String longTarget = "x/".repeat(2000);
    Posix.symlink(longTarget, dir.resolve("long"));
    assertEquals(longTarget, Posix.readlink(dir.resolve("long")));
    assertThrows(NoSuchFileException.class, () -> Posix.readlink(dir.resolve("missing")));
    PosixException e = assertThrows(PosixException.class, () -> Posix.readlink(dir));
    assertTrue(e.getMessage().contains("Invalid argument"), e.getMessage());
    assertFalse(Files.exists(link));
  }

  @Test
  void markTopDirectorySetsTheFlagWhereChattrCan() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/chattr")), "chattr (e2fsprogs) tells");
    markTopDirectoryAgreesWithChattr(dir);
    // tmpfs keeps no such flag: the other answer, where /dev/shm is one.
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      Path there = Files.createTempDirectory(shm, "posix-test-");
      try {
        markTopDirectoryAgreesWithChattr(there);
      } finally {
        try (var entries = Files.list(there)) {
          for (Path p : entries.toList()) {
            Files.delete(p);
          }
        }
        Files.delete(there);
      }
    }
  }

  // chattr +T on one new directory tells whether the file system keeps the flag; markTopDirectory
  // on another must then say so, and lsattr must see the flag exactly when it did.
  private static void markTopDirectoryAgreesWithChattr(Path parent) throws Exception {
    Path probe = Files.createDirectory(parent.resolve("probe"));
    boolean kept = run("chattr", "+T", probe.toString()) == 0 && lsattr(probe).contains("T");
    Path top = Files.createDirectory(parent.resolve("top"));
    assertEquals(kept, Posix.markTopDirectory(top), parent + ": " + lsattr(probe));
    assertEquals(kept, lsattr(top).contains("T"), lsattr(top));
    assertEquals(kept, Posix.markTopDirectory(top), "marked again");
    Path file = Files.writeString(parent.resolve("f"), "x");
    assertThrows(NotDirectoryException.class, () -> Posix.markTopDirectory(file));
    assertThrows(NoSuchFileException.class, () -> Posix.markTopDirectory(parent.resolve("none")));
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  // lsattr -d's flags (the first field), e.g. "-----------I--e-------".
  private static String lsattr(Path path) throws Exception {
    Process p = new ProcessBuilder("lsattr", "-d", path.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? out.split(" ", 2)[0] : "";
  }
}
