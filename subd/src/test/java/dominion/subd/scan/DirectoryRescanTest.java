package dominion.subd.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.FileTree;
import dominion.core.fs.Posix;
import dominion.core.fs.TreeScanner;
import dominion.core.image.Filter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing only the changed directories gives the tree a full scan gives, or gives up. */
class DirectoryRescanTest {
  @TempDir Path tmp;
  Path root;
  Filter filter = Filter.parse(List.of("/tmp/.*"));
  HashCache cache = new HashCache(dominion.core.fs.ContentHasher.sha512());
  FileTree before;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.createDirectories(root.resolve("usr/lib/x"));
    Files.createDirectories(root.resolve("tmp"));
    write("etc/hosts", "h");
    write("etc/ssh/sshd_config", "Port 22");
    write("usr/lib/x/lib.so", "elf");
    Files.createSymbolicLink(root.resolve("etc/link"), Path.of("hosts"));
    before = full();
  }

  private void write(String rel, String content) throws IOException {
    Files.writeString(root.resolve(rel), content, StandardCharsets.UTF_8);
  }

  private FileTree full() throws IOException {
    return new TreeScanner(new TreeScanner.Config(filter, Set.of()), cache).scan(root).tree();
  }

  private FileTree rescan(String... dirty) throws Exception {
    return new DirectoryRescan(root, Posix.lstat(root).dev(), filter, Set.of(), cache)
        .rescan(before, Set.of(dirty));
  }

  private void assertMatchesFullScan(String... dirty) throws Exception {
    FileTree incremental = rescan(dirty);
    FileTree expected = full();
    assertEquals(expected, incremental);
  }

  @Test
  void nothingChanged() throws Exception {
    assertMatchesFullScan("/etc");
  }

  @Test
  void fileAddedChangedAndRemoved() throws Exception {
    write("etc/new", "n");
    write("etc/hosts", "changed");
    Files.delete(root.resolve("etc/link"));
    assertMatchesFullScan("/etc");
  }

  @Test
  void newDirectoryIsWalkedWhole() throws Exception {
    Files.createDirectories(root.resolve("opt/app/bin"));
    write("opt/app/bin/run", "#!/bin/sh");
    assertMatchesFullScan("/");
  }

  @Test
  void removedDirectoryTakesItsSubtree() throws Exception {
    Files.delete(root.resolve("usr/lib/x/lib.so"));
    Files.delete(root.resolve("usr/lib/x"));
    assertMatchesFullScan("/usr/lib", "/usr/lib/x");
  }

  @Test
  void fileReplacedByDirectoryAndBack() throws Exception {
    Files.delete(root.resolve("etc/hosts"));
    Files.createDirectories(root.resolve("etc/hosts/d"));
    assertMatchesFullScan("/etc");
    before = full();
    Files.delete(root.resolve("etc/hosts/d"));
    Files.delete(root.resolve("etc/hosts"));
    write("etc/hosts", "file again");
    assertMatchesFullScan("/etc", "/etc/hosts");
  }

  @Test
  void directoryAttributesComeFromTheParentListing() throws Exception {
    Posix.chmod(root.resolve("etc/ssh"), 0700);
    assertMatchesFullScan("/etc", "/etc/ssh");
  }

  @Test
  void excludedPathsStayOut() throws Exception {
    write("tmp/scratch", "x");
    assertMatchesFullScan("/tmp", "/");
  }

  @Test
  void hardLinkToAnUnlistedDirectoryGivesUpOrMatches() throws Exception {
    Files.createLink(root.resolve("etc/hosts2"), root.resolve("etc/hosts"));
    before = full();
    write("etc/hosts", "changed through one name"); // same inode, both names
    Files.createLink(root.resolve("usr/lib/x/hosts3"), root.resolve("etc/hosts"));
    try {
      assertMatchesFullScan("/usr/lib/x");
    } catch (DirectoryRescan.Fallback e) {
      assertTrue(e.getMessage().contains("inode"), e.getMessage());
    }
  }

  @Test
  void vanishedDirectoryWithoutItsParentGivesUp() throws Exception {
    Files.delete(root.resolve("usr/lib/x/lib.so"));
    Files.delete(root.resolve("usr/lib/x"));
    try {
      rescan("/usr/lib/x");
      throw new AssertionError("should have given up");
    } catch (DirectoryRescan.Fallback e) {
      assertTrue(e.getMessage().contains("/usr/lib/x"), e.getMessage());
    }
  }
}
