package dominion.subd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedObjectsTest {
  @TempDir Path dir;

  private Path object(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static Hash hash(String content) {
    return Hash.of(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anUntouchedFileIsUnchanged() throws IOException {
    VerifiedObjects verified = new VerifiedObjects(10);
    Path f = object("a", "alpha");
    verified.verified(hash("alpha"), f);
    assertTrue(verified.unchanged(hash("alpha"), Posix.lstat(f)));
    assertFalse(verified.unchanged(hash("beta"), Posix.lstat(f)), "another hash");
  }

  @Test
  void aWriteChmodOrSecondNameMakesItUntrusted() throws IOException {
    VerifiedObjects verified = new VerifiedObjects(10);
    Path written = object("w", "alpha");
    Path chmodded = object("c", "beta");
    Path linked = object("l", "gamma");
    verified.verified(hash("alpha"), written);
    verified.verified(hash("beta"), chmodded);
    verified.verified(hash("gamma"), linked);
    // A write of the same length and the old mtime restored: only the ctime tells.
    long mtime = Posix.lstat(written).mtimeNanos();
    Files.writeString(written, "ALPHA", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    Posix.setMtime(written, mtime);
    Files.setPosixFilePermissions(chmodded, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.createLink(dir.resolve("l2"), linked);
    assertFalse(verified.unchanged(hash("alpha"), Posix.lstat(written)));
    assertFalse(verified.unchanged(hash("beta"), Posix.lstat(chmodded)));
    assertFalse(verified.unchanged(hash("gamma"), Posix.lstat(linked)));
    Files.delete(dir.resolve("l2"));
    assertFalse(
        verified.unchanged(hash("gamma"), Posix.lstat(linked)), "one name again, but touched");
  }

  @Test
  void forgottenOrOverCapacityMeansUntrusted() throws IOException {
    VerifiedObjects verified = new VerifiedObjects(2);
    Path a = object("a", "alpha");
    Path b = object("b", "beta");
    Path c = object("c", "gamma");
    verified.verified(hash("alpha"), a);
    verified.verified(hash("beta"), b);
    verified.forget(hash("beta"));
    assertFalse(verified.unchanged(hash("beta"), Posix.lstat(b)));
    verified.verified(hash("beta"), b);
    verified.verified(hash("gamma"), c); // full: starts over
    assertEquals(1, verified.size());
    assertFalse(verified.unchanged(hash("alpha"), Posix.lstat(a)));
    assertTrue(verified.unchanged(hash("gamma"), Posix.lstat(c)));
    VerifiedObjects none = new VerifiedObjects(0);
    none.verified(hash("alpha"), a);
    assertFalse(none.unchanged(hash("alpha"), Posix.lstat(a)));
  }
}
