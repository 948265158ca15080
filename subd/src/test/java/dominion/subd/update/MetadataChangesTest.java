package dominion.subd.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.subd.scan.HashCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A metadata change keeps the scanner's hash of a file when that is sure, and only then. */
class MetadataChangesTest {
  private static final long MTIME = 1_600_000_000_123_456_789L;

  @TempDir Path tmp;
  RootFixture fx;
  HashCache scanner = new HashCache(ContentHasher.sha512());
  Path file;

  @BeforeEach
  void setUp() throws IOException {
    fx = new RootFixture(tmp);
    file = Files.createDirectories(fx.at("/etc")).resolve("conf");
    Files.writeString(file, "same\n", StandardCharsets.UTF_8);
    scanner.hash(file, Posix.lstat(file)); // The last scan read it.
  }

  private MetadataChanges change(RegularInode inode) throws IOException {
    MetadataChanges changes =
        new MetadataChanges(fx.rootFs, new InodeWriter(fx.cache, false), scanner);
    changes.apply(new UpdatePlan.PathInode("/etc/conf", inode));
    return changes;
  }

  private Hash known() throws IOException {
    return scanner.peek(Posix.lstat(file));
  }

  @Test
  void theImagesContentKeepsItsHashUnderTheNewMetadata() throws IOException {
    MetadataChanges changes = change(RootFixture.file("same\n", 0600, MTIME));
    assertNull(known(), "the ctime moved, so the old entry does not match");
    changes.hintScanner();
    assertEquals(Hash.of("same\n".getBytes(StandardCharsets.UTF_8)), known());
    assertEquals(0600, Posix.lstat(file).mode() & 07777);
    assertEquals(MTIME, Posix.lstat(file).mtimeNanos());
  }

  @Test
  void aWriteAfterTheChangeIsLeftToTheScan() throws IOException {
    MetadataChanges changes = change(RootFixture.file("same\n", 0600, MTIME));
    Files.writeString(file, "SAME\n", StandardCharsets.UTF_8);
    changes.hintScanner();
    assertNull(known());
  }

  @Test
  void contentOtherThanTheImagesIsLeftToTheScan() throws IOException {
    // The dominator computed a metadata change from a stale scan: the file is not the image's.
    MetadataChanges changes = change(RootFixture.file("other\n", 0600, MTIME));
    changes.hintScanner();
    assertNull(known());
  }
}
