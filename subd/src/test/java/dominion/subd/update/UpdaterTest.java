package dominion.subd.update;

import static dominion.subd.update.RootFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.FileType;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One behaviour of the update per test, on a temporary root (run as root: chown, mknod). */
class UpdaterTest {
  private static final long MTIME = 1_600_000_000_123_456_789L;

  @TempDir Path tmp;
  RootFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new RootFixture(tmp);
  }

  private UpdateResult apply(RootFixture.Request request) {
    return fx.updater.apply(request.build());
  }

  private static void assertOk(UpdateResult result) {
    assertNull(result.error(), result.error());
  }

  private String read(String path) throws IOException {
    return Files.readString(fx.at(path), StandardCharsets.UTF_8);
  }

  private List<String> leftoverTemps() throws IOException {
    try (Stream<Path> walk = Files.walk(fx.root)) {
      return walk.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(Journal.TEMP_PREFIX))
          .toList();
    }
  }

  @Test
  void newFileGetsContentOwnerModeAndMtime() throws IOException {
    fx.object("hello\n");
    RegularInode inode =
        new RegularInode(0104750, 12, 34, MTIME, 6, file("hello\n", 0, 0).hash(), null);
    assertOk(apply(new RootFixture.Request().inode("/hello", inode)));
    Posix.Stat st = Posix.lstat(fx.at("/hello"));
    assertEquals("hello\n", read("/hello"));
    assertEquals(0104750, st.mode());
    assertEquals(12, st.uid());
    assertEquals(34, st.gid());
    assertEquals(MTIME, st.mtimeNanos());
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void changedContentReplacesFileWithNewInode() throws IOException {
    Files.writeString(fx.at("/f"), "old", StandardCharsets.UTF_8);
    long oldIno = Posix.lstat(fx.at("/f")).ino();
    fx.object("new content");
    assertOk(apply(new RootFixture.Request().inode("/f", file("new content", 0644, MTIME))));
    assertEquals("new content", read("/f"));
    assertNotEquals(oldIno, Posix.lstat(fx.at("/f")).ino());
  }

  @Test
  void metadataOnlyChangeKeepsTheInode() throws IOException {
    Files.writeString(fx.at("/f"), "same", StandardCharsets.UTF_8);
    long ino = Posix.lstat(fx.at("/f")).ino();
    assertOk(
        apply(
            new RootFixture.Request()
                .metadata(
                    "/f",
                    new RegularInode(0100600, 7, 8, MTIME, 4, file("same", 0, 0).hash(), null))));
    Posix.Stat st = Posix.lstat(fx.at("/f"));
    assertEquals(ino, st.ino());
    assertEquals(0100600, st.mode());
    assertEquals(7, st.uid());
    assertEquals(8, st.gid());
    assertEquals(MTIME, st.mtimeNanos());
    assertEquals("same", read("/f"));
  }

  @Test
  void metadataChangeOfTheWrongTypeFails() throws IOException {
    Files.createDirectory(fx.at("/d"));
    UpdateResult result = apply(new RootFixture.Request().metadata("/d", file("x", 0644, 0)));
    assertTrue(result.error().contains("/d"), result.error());
  }

  @Test
  void fileReplacedByDirectory() throws IOException {
    Files.writeString(fx.at("/x"), "file", StandardCharsets.UTF_8);
    fx.object("inside");
    assertOk(
        apply(
            new RootFixture.Request()
                .dir("/x", 0750, 1, 2)
                .inode("/x/inside", file("inside", 0644, MTIME))));
    Posix.Stat st = Posix.lstat(fx.at("/x"));
    assertTrue(st.isDirectory());
    assertEquals(0750, st.permissions());
    assertEquals(1, st.uid());
    assertEquals("inside", read("/x/inside"));
  }

  @Test
  void directoryReplacedByFile() throws IOException {
    Files.createDirectories(fx.at("/x/sub"));
    Files.writeString(fx.at("/x/sub/deep"), "deep", StandardCharsets.UTF_8);
    fx.object("now a file");
    assertOk(apply(new RootFixture.Request().inode("/x", file("now a file", 0644, MTIME))));
    assertTrue(Posix.lstat(fx.at("/x")).isRegular());
    assertEquals("now a file", read("/x"));
  }

  @Test
  void symlinkReplaced() throws IOException {
    Files.createSymbolicLink(fx.at("/l"), Path.of("old-target"));
    assertOk(
        apply(new RootFixture.Request().inode("/l", SymlinkInode.of(5, 6, 0, "new//target/"))));
    assertEquals("new//target/", Posix.readlink(fx.at("/l")));
    assertEquals(5, Posix.lstat(fx.at("/l")).uid());
  }

  @Test
  void fileReplacedBySymlinkAndBack() throws IOException {
    Files.writeString(fx.at("/a"), "a", StandardCharsets.UTF_8);
    assertOk(apply(new RootFixture.Request().inode("/a", SymlinkInode.of(0, 0, 0, "/etc/passwd"))));
    assertTrue(Posix.lstat(fx.at("/a")).isSymlink());
    fx.object("back");
    assertOk(apply(new RootFixture.Request().inode("/a", file("back", 0644, MTIME))));
    assertTrue(Posix.lstat(fx.at("/a")).isRegular());
  }

  @Test
  void hardLinksMade() throws IOException {
    fx.object("shared");
    assertOk(
        apply(
            new RootFixture.Request()
                .inode("/one", file("shared", 0644, MTIME))
                .link("/two", "/one")));
    assertEquals(Posix.lstat(fx.at("/one")).ino(), Posix.lstat(fx.at("/two")).ino());
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void sameContentAtTwoPathsGivesTwoInodes() throws IOException {
    fx.object("same bytes");
    assertOk(
        apply(
            new RootFixture.Request()
                .inode("/a", file("same bytes", 0644, MTIME))
                .inode("/b", file("same bytes", 0600, MTIME))));
    assertNotEquals(Posix.lstat(fx.at("/a")).ino(), Posix.lstat(fx.at("/b")).ino());
    assertEquals(0644, Posix.lstat(fx.at("/a")).permissions());
    assertEquals(0600, Posix.lstat(fx.at("/b")).permissions());
    // The last use took the cache's file: a third path copies from the tree, as the dominator asks.
    assertFalse(fx.cache.has(file("same bytes", 0, 0).hash()));
    assertOk(
        apply(
            new RootFixture.Request()
                .copy("/a", file("same bytes", 0, 0).hash())
                .inode("/c", file("same bytes", 0640, MTIME))));
    assertNotEquals(Posix.lstat(fx.at("/a")).ino(), Posix.lstat(fx.at("/c")).ino());
    assertEquals(0644, Posix.lstat(fx.at("/a")).permissions());
  }

  @Test
  void installedObjectLeavesTheCacheSoWritesThroughTheTreeCannotReachIt() throws IOException {
    fx.object("original");
    assertOk(apply(new RootFixture.Request().inode("/a", file("original", 0644, MTIME))));
    assertFalse(fx.cache.has(file("original", 0, 0).hash()));
    assertEquals(1, Posix.lstat(fx.at("/a")).nlink());
    Files.writeString(fx.at("/a"), "modified", StandardCharsets.UTF_8);
    UpdateResult result =
        apply(new RootFixture.Request().inode("/b", file("original", 0644, MTIME)));
    assertTrue(result.error().contains("missing object"), result.error());
    assertFalse(Files.exists(fx.at("/b")));
  }

  @Test
  void objectWrittenInPlaceThroughTheTreeIsNotReused() throws IOException {
    fx.object("original");
    // A cache file that is also a file of the tree (left so by an older subd, or by a crash
    // between the renames and the cache's names being dropped), written in place by an editor.
    Files.createLink(fx.at("/a"), fx.cache.pathOf(file("original", 0, 0).hash()));
    Files.writeString(fx.at("/a"), "modified", StandardCharsets.UTF_8);
    UpdateResult result =
        apply(new RootFixture.Request().inode("/b", file("original", 0644, MTIME)));
    assertTrue(result.error().contains("damaged"), result.error());
    assertFalse(fx.cache.has(file("original", 0, 0).hash()), "the damaged object is dropped");
    assertFalse(Files.exists(fx.at("/b")));
  }

  @Test
  void hardLinkAlreadyInPlaceIsLeftAlone() throws IOException {
    Files.writeString(fx.at("/one"), "x", StandardCharsets.UTF_8);
    Files.createLink(fx.at("/two"), fx.at("/one"));
    assertOk(apply(new RootFixture.Request().link("/two", "/one")));
    assertEquals(Posix.lstat(fx.at("/one")).ino(), Posix.lstat(fx.at("/two")).ino());
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void hardLinkSplit() throws IOException {
    Files.writeString(fx.at("/one"), "shared", StandardCharsets.UTF_8);
    Files.createLink(fx.at("/two"), fx.at("/one"));
    fx.object("split");
    assertOk(apply(new RootFixture.Request().inode("/two", file("split", 0644, MTIME))));
    assertNotEquals(Posix.lstat(fx.at("/one")).ino(), Posix.lstat(fx.at("/two")).ino());
    assertEquals("shared", read("/one"));
    assertEquals("split", read("/two"));
    assertEquals(1, Posix.lstat(fx.at("/one")).nlink());
  }

  @Test
  void deletesRemoveFilesAndSubtrees() throws IOException {
    Files.createDirectories(fx.at("/d/e"));
    Files.writeString(fx.at("/d/e/f"), "f", StandardCharsets.UTF_8);
    Files.writeString(fx.at("/g"), "g", StandardCharsets.UTF_8);
    Files.createSymbolicLink(fx.at("/l"), fx.outside);
    Files.writeString(fx.outside.resolve("keep"), "keep", StandardCharsets.UTF_8);
    assertOk(
        apply(new RootFixture.Request().delete("/d").delete("/g").delete("/l").delete("/missing")));
    assertFalse(Files.exists(fx.at("/d"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(fx.at("/g")));
    assertFalse(Files.exists(fx.at("/l"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(fx.outside.resolve("keep")));
  }

  @Test
  void sparseImageDeletesNothing() throws IOException {
    Files.writeString(fx.at("/g"), "g", StandardCharsets.UTF_8);
    assertThrows(
        IllegalArgumentException.class,
        () -> apply(new RootFixture.Request().sparse().delete("/g")));
    assertTrue(Files.exists(fx.at("/g")));
  }

  @Test
  void directoriesMadeWithOwnerAndMode() throws IOException {
    assertOk(apply(new RootFixture.Request().dir("/a", 0755, 0, 0).dir("/a/b", 01777, 3, 4)));
    Posix.Stat st = Posix.lstat(fx.at("/a/b"));
    assertTrue(st.isDirectory());
    assertEquals(01777, st.permissions());
    assertEquals(3, st.uid());
    assertEquals(4, st.gid());
  }

  @Test
  void existingDirectoryGetsNewMetadataAndKeepsContents() throws IOException {
    Files.createDirectory(fx.at("/a"));
    Files.writeString(fx.at("/a/keep"), "k", StandardCharsets.UTF_8);
    assertOk(apply(new RootFixture.Request().dir("/a", 0700, 9, 9)));
    assertEquals(0700, Posix.lstat(fx.at("/a")).permissions());
    assertTrue(Files.exists(fx.at("/a/keep")));
  }

  @Test
  void devicesAndFifosMade() throws IOException {
    long rdev = SpecialInode.makeDev(1, 3);
    assertOk(
        apply(
            new RootFixture.Request()
                .inode(
                    "/null",
                    new SpecialInode(FileType.CHAR_DEVICE.bits() | 0666, 0, 0, MTIME, rdev))
                .inode(
                    "/sda",
                    new SpecialInode(
                        FileType.BLOCK_DEVICE.bits() | 0660,
                        0,
                        6,
                        MTIME,
                        SpecialInode.makeDev(8, 0)))
                .inode("/fifo", new SpecialInode(FileType.FIFO.bits() | 0600, 0, 0, MTIME, 0))));
    Posix.Stat nul = Posix.lstat(fx.at("/null"));
    assertEquals(FileType.CHAR_DEVICE.bits() | 0666, nul.mode());
    assertEquals(rdev, nul.rdev());
    assertEquals(FileType.BLOCK_DEVICE.bits() | 0660, Posix.lstat(fx.at("/sda")).mode());
    assertEquals(6, Posix.lstat(fx.at("/sda")).gid());
    assertEquals(FileType.FIFO.bits() | 0600, Posix.lstat(fx.at("/fifo")).mode());
  }

  @Test
  void capabilitiesSetOnNewFilesAndChanged() throws IOException {
    String netRaw = "0100000200200000000000000000000000000000";
    fx.object("ping");
    RegularInode ping =
        new RegularInode(0100755, 0, 0, MTIME, 4, file("ping", 0, 0).hash(), netRaw);
    assertOk(apply(new RootFixture.Request().inode("/ping", ping)));
    assertEquals(netRaw, Posix.getCapability(fx.at("/ping")));
    assertEquals(MTIME, Posix.lstat(fx.at("/ping")).mtimeNanos());
    RegularInode without = new RegularInode(0100755, 0, 0, MTIME, 4, ping.hash(), null);
    assertOk(apply(new RootFixture.Request().metadata("/ping", without)));
    assertNull(Posix.getCapability(fx.at("/ping")));
    assertOk(apply(new RootFixture.Request().metadata("/ping", ping)));
    assertEquals(netRaw, Posix.getCapability(fx.at("/ping")));
  }

  @Test
  void copyToCacheFeedsANewPath() throws IOException {
    Files.writeString(fx.at("/orig"), "local bytes", StandardCharsets.UTF_8);
    RegularInode inode = file("local bytes", 0644, MTIME);
    assertOk(apply(new RootFixture.Request().copy("/orig", inode.hash()).inode("/copy", inode)));
    assertEquals("local bytes", read("/copy"));
    // Copied into the cache, hashed on the way, then taken by /copy as its own file.
    assertFalse(fx.cache.has(inode.hash()));
    assertEquals(1, Posix.lstat(fx.at("/copy")).nlink());
    assertNotEquals(Posix.lstat(fx.at("/orig")).ino(), Posix.lstat(fx.at("/copy")).ino());
  }

  @Test
  void copyToCacheWithWrongHashFailsBeforeAnyChange() throws IOException {
    Files.writeString(fx.at("/orig"), "local bytes", StandardCharsets.UTF_8);
    RegularInode claimed = file("other bytes", 0644, MTIME);
    UpdateResult result =
        fx.updater.apply(
            new RootFixture.Request()
                .copy("/orig", claimed.hash())
                .inode("/copy", claimed)
                .dir("/newdir", 0755, 0, 0)
                .build());
    assertTrue(result.error().contains("/orig"), result.error());
    assertFalse(Files.exists(fx.at("/copy")));
    assertFalse(Files.exists(fx.at("/newdir")));
  }

  @Test
  void imageNameAndTriggersRecordedInStateDir() throws IOException {
    assertOk(apply(new RootFixture.Request().image("web/prod/7")));
    assertEquals("web/prod/7", fx.state.lastImage());
    assertFalse(Files.exists(fx.at("/image")));
  }

  @Test
  void missingObjectFailsWithoutHalfWrittenFilesAndNextUpdateConverges() throws IOException {
    Files.writeString(fx.at("/f"), "old", StandardCharsets.UTF_8);
    RegularInode want = file("wanted", 0644, MTIME);
    UpdateResult failed =
        apply(new RootFixture.Request().inode("/f", want).dir("/d", 0755, 0, 0).image("img/2"));
    assertTrue(failed.error().contains(want.hash().hex()), failed.error());
    assertEquals("old", read("/f"));
    assertEquals(List.of(), leftoverTemps());
    assertNull(fx.state.lastImage());
    fx.object("wanted");
    assertOk(
        apply(new RootFixture.Request().inode("/f", want).dir("/d", 0755, 0, 0).image("img/2")));
    assertEquals("wanted", read("/f"));
    assertEquals("img/2", fx.state.lastImage());
  }

  @Test
  void damagedCacheObjectIsNotInstalled() throws IOException {
    Files.writeString(fx.at("/f"), "old", StandardCharsets.UTF_8);
    RegularInode want = file("wanted", 0644, MTIME);
    fx.object("wanted");
    Files.writeString(fx.cache.pathOf(want.hash()), "wanted plus junk", StandardCharsets.UTF_8);
    UpdateResult result = apply(new RootFixture.Request().inode("/f", want));
    assertTrue(result.error().contains("damaged"), result.error());
    assertEquals("old", read("/f"));
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void verifiedObjectBecomesTheFileAndLeavesTheCache() throws IOException {
    RegularInode want = file("fetched", 0640, MTIME);
    fx.object("fetched");
    long objectIno = Posix.lstat(fx.cache.pathOf(want.hash())).ino();
    assertOk(apply(new RootFixture.Request().inode("/f", want)));
    assertEquals("fetched", read("/f"));
    Posix.Stat st = Posix.lstat(fx.at("/f"));
    assertEquals(objectIno, st.ino(), "linked, not copied");
    assertEquals(1, st.nlink());
    assertEquals(0640, st.permissions());
    assertEquals(MTIME, st.mtimeNanos());
    assertFalse(fx.cache.has(want.hash()));
    assertEquals(0, fx.cache.count());
  }

  @Test
  void verifiedObjectTouchedSinceIsHashedAgain() throws IOException {
    Files.writeString(fx.at("/f"), "old", StandardCharsets.UTF_8);
    RegularInode want = file("wanted", 0644, MTIME);
    fx.object("wanted");
    // Same length, old mtime restored: only the ctime shows the write.
    Path object = fx.cache.pathOf(want.hash());
    long mtime = Posix.lstat(object).mtimeNanos();
    Files.writeString(object, "WANTED", StandardCharsets.UTF_8);
    Posix.setMtime(object, mtime);
    UpdateResult result = apply(new RootFixture.Request().inode("/f", want).inode("/g", want));
    assertTrue(result.error().contains("damaged"), result.error());
    assertEquals("old", read("/f"));
    assertFalse(Files.exists(fx.at("/g")));
    assertFalse(fx.cache.has(want.hash()), "the damaged object is dropped");
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void failedUpdateKeepsItsObjectsInTheCache() throws IOException {
    RegularInode kept = file("kept", 0644, MTIME);
    fx.object("kept");
    // A directory under a symlink is refused in the window, after /k was prepared.
    Files.createSymbolicLink(fx.at("/evil"), fx.outside);
    UpdateResult result =
        apply(new RootFixture.Request().inode("/k", kept).dir("/evil/sub", 0755, 0, 0));
    assertTrue(result.error().contains("symlink"), result.error());
    assertFalse(Files.exists(fx.outside.resolve("sub")));
    assertTrue(fx.cache.has(kept.hash()));
    assertEquals(1, Posix.lstat(fx.cache.pathOf(kept.hash())).nlink());
    assertFalse(Files.exists(fx.at("/k")));
    assertOk(apply(new RootFixture.Request().inode("/k", kept)));
    assertEquals("kept", read("/k"));
  }

  @Test
  void replacedAndDeletedFilesAreFreedAfterTheWindowAndLeaveNothing() throws IOException {
    Files.writeString(fx.at("/f"), "old content", StandardCharsets.UTF_8);
    Files.createDirectories(fx.at("/gone/sub"));
    Files.writeString(fx.at("/gone/sub/a"), "a", StandardCharsets.UTF_8);
    Files.writeString(fx.at("/gone/b"), "b", StandardCharsets.UTF_8);
    fx.object("new content");
    assertOk(
        apply(
            new RootFixture.Request()
                .inode("/f", file("new content", 0644, MTIME))
                .delete("/gone")));
    assertEquals("new content", read("/f"));
    assertFalse(Files.exists(fx.at("/gone")));
    try (Stream<Path> staged = Files.list(fx.state.staging())) {
      assertEquals(List.of(), staged.toList(), "the trash is emptied");
    }
  }

  @Test
  void newDirectoryTreeArrivesWholeWithItsFiles() throws IOException {
    fx.object("a");
    fx.object("b");
    assertOk(
        apply(
            new RootFixture.Request()
                .dir("/opt", 0755, 0, 0)
                .dir("/opt/app/lib", 0700, 3, 4)
                .dir("/opt/app", 0750, 1, 2)
                .inode("/opt/app/a", file("a", 0644, MTIME))
                .inode("/opt/app/lib/b", file("b", 0600, MTIME))
                .inode(
                    "/opt/app/lib/s",
                    new SymlinkInode(FileType.SYMLINK.bits() | 0777, 0, 0, MTIME, "b"))));
    Posix.Stat app = Posix.lstat(fx.at("/opt/app"));
    assertEquals(0750, app.permissions());
    assertEquals(1, app.uid());
    assertEquals(2, app.gid());
    Posix.Stat lib = Posix.lstat(fx.at("/opt/app/lib"));
    assertEquals(0700, lib.permissions());
    assertEquals(3, lib.uid());
    assertEquals("a", read("/opt/app/a"));
    assertEquals("b", read("/opt/app/lib/b"));
    assertEquals(0600, Posix.lstat(fx.at("/opt/app/lib/b")).permissions());
    assertEquals("b", Files.readSymbolicLink(fx.at("/opt/app/lib/s")).toString());
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void newDirectoryTreeOfAFailedUpdateIsRemoved() throws IOException {
    fx.object("a");
    Files.createSymbolicLink(fx.at("/evil"), fx.outside);
    UpdateResult result =
        apply(
            new RootFixture.Request()
                .dir("/evil/sub", 0755, 0, 0)
                .dir("/new", 0755, 0, 0)
                .inode("/new/a", file("a", 0644, MTIME)));
    assertTrue(result.error().contains("symlink"), result.error());
    assertFalse(Files.exists(fx.at("/new")));
    assertEquals(List.of(), leftoverTemps());
    assertTrue(fx.cache.has(file("a", 0, 0).hash()));
  }

  @Test
  void manyFilesArePreparedOnSeveralThreads() throws IOException {
    RootFixture.Request request = new RootFixture.Request().dir("/many", 0755, 0, 0);
    Files.createDirectories(fx.at("/old"));
    for (int i = 0; i < 120; i++) {
      fx.object("content " + (i % 10));
      request.inode("/many/f" + i, file("content " + (i % 10), 0600 + i % 8, MTIME + i));
      request.inode("/old/f" + i, file("content " + (i % 10), 0644, MTIME));
    }
    assertOk(apply(request));
    java.util.Set<Long> inodes = new java.util.HashSet<>();
    for (int i = 0; i < 120; i++) {
      assertEquals("content " + (i % 10), read("/many/f" + i));
      assertEquals("content " + (i % 10), read("/old/f" + i));
      Posix.Stat st = Posix.lstat(fx.at("/many/f" + i));
      assertEquals(0600 + i % 8, st.permissions());
      assertEquals(MTIME + i, st.mtimeNanos());
      assertEquals(1, st.nlink());
      inodes.add(st.ino());
      inodes.add(Posix.lstat(fx.at("/old/f" + i)).ino());
    }
    assertEquals(240, inodes.size(), "every path its own inode");
    assertEquals(0, fx.cache.count(), "each object's last use took it");
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void aFailureOnOneThreadLeavesNothingHalfDone() throws IOException {
    RootFixture.Request request = new RootFixture.Request();
    Files.createDirectories(fx.at("/d"));
    for (int i = 0; i < 100; i++) {
      Files.writeString(fx.at("/d/f" + i), "old " + i, StandardCharsets.UTF_8);
      fx.object("new " + i);
      request.inode("/d/f" + i, file("new " + i, 0644, MTIME));
    }
    Files.writeString(
        fx.cache.pathOf(file("new 57", 0, 0).hash()), "rotten", StandardCharsets.UTF_8);
    UpdateResult result = apply(request);
    assertTrue(result.error().contains("damaged"), result.error());
    for (int i = 0; i < 100; i++) {
      assertEquals("old " + i, read("/d/f" + i));
    }
    assertEquals(List.of(), leftoverTemps());
  }

  @Test
  void deletedTreeDisappearsWholeAndNothingOfItRemains() throws IOException {
    for (int i = 0; i < 20; i++) {
      Files.createDirectories(fx.at("/tree/d" + i % 4));
      Files.writeString(fx.at("/tree/d" + i % 4 + "/f" + i), "x" + i, StandardCharsets.UTF_8);
    }
    Files.writeString(fx.at("/keep"), "kept", StandardCharsets.UTF_8);
    Files.createLink(fx.at("/tree/linked"), fx.at("/keep"));
    assertOk(apply(new RootFixture.Request().delete("/tree")));
    assertFalse(Files.exists(fx.at("/tree")));
    assertEquals("kept", read("/keep"));
    assertEquals(1, Posix.lstat(fx.at("/keep")).nlink());
    try (Stream<Path> staged = Files.list(fx.state.staging())) {
      assertEquals(List.of(), staged.toList(), "the trash is emptied");
    }
  }

  @Test
  void failedUpdateLeavesTheTreesItWouldDelete() throws IOException {
    Files.createDirectories(fx.at("/tree/sub"));
    Files.writeString(fx.at("/tree/sub/f"), "x", StandardCharsets.UTF_8);
    Files.createSymbolicLink(fx.at("/evil"), fx.outside);
    UpdateResult result =
        apply(new RootFixture.Request().dir("/evil/sub", 0755, 0, 0).delete("/tree"));
    assertTrue(result.error().contains("symlink"), result.error());
    assertEquals("x", read("/tree/sub/f"));
    try (Stream<Path> staged = Files.list(fx.state.staging())) {
      assertEquals(List.of(), staged.toList());
    }
  }

  @Test
  void aDirectoryReplacedByASymlinkIsNotFollowedByLaterRenames() throws IOException {
    Files.createDirectories(fx.at("/a"));
    Files.writeString(fx.at("/a/b"), "old", StandardCharsets.UTF_8);
    fx.object("new");
    // A request no image can make (/a both a symlink and a directory): the file prepared in the
    // old directory must not be renamed through the symlink that replaced it.
    UpdateResult result =
        apply(
            new RootFixture.Request()
                .inode(
                    "/a",
                    new SymlinkInode(
                        FileType.SYMLINK.bits() | 0777, 0, 0, MTIME, fx.outside.toString()))
                .inode("/a/b", file("new", 0644, MTIME)));
    assertTrue(result.error().contains("symlink"), result.error());
    try (Stream<Path> outside = Files.list(fx.outside)) {
      assertEquals(List.of(), outside.toList(), "nothing written outside the root");
    }
  }
}
