package dominion.mdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MdbFileTest {
  @TempDir Path dir;

  private MdbFile file() {
    return new MdbFile(dir.resolve("mdb.json"), new MdbCodec());
  }

  @Test
  void editCreatesAMissingFileWhenAsked() throws Exception {
    file().edit(mdb -> mdb.put(Machine.of("a")), true);
    assertEquals(List.of(Machine.of("a")), file().load().machines());
  }

  @Test
  void editOfAMissingFileFailsOtherwise() {
    assertThrows(NoSuchFileException.class, () -> file().edit(mdb -> mdb, false));
  }

  @Test
  void editReplacesTheFileByRename() throws Exception {
    file().edit(mdb -> mdb.put(Machine.of("a")), true);
    Object before =
        Files.readAttributes(file().path(), java.nio.file.attribute.BasicFileAttributes.class)
            .fileKey();
    file().edit(mdb -> mdb.put(Machine.of("b")), false);
    Object after =
        Files.readAttributes(file().path(), java.nio.file.attribute.BasicFileAttributes.class)
            .fileKey();
    assertFalse(before.equals(after), "a new inode, not an in-place write");
    assertEquals(2, file().load().size());
    assertFalse(Files.exists(dir.resolve(".mdb.json.tmp")));
  }

  @Test
  void editLeavesABadFileAlone() throws Exception {
    byte[] bad = "[{\"Hostname\": ".getBytes(StandardCharsets.UTF_8);
    Files.write(file().path(), bad);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> file().edit(mdb -> mdb.put(Machine.of("a")), true));
    assertTrue(e.getMessage().startsWith(file().path().toString()), e.getMessage());
    assertArrayEquals(bad, Files.readAllBytes(file().path()));
  }

  @Test
  void aFailedChangeWritesNothing() throws Exception {
    file().edit(mdb -> mdb.put(Machine.of("a")), true);
    byte[] before = Files.readAllBytes(file().path());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            file()
                .edit(
                    mdb -> {
                      throw new IllegalArgumentException("no");
                    },
                    false));
    assertArrayEquals(before, Files.readAllBytes(file().path()));
  }

  @Test
  void writeIfChangedSkipsEqualContent() throws Exception {
    Mdb mdb = Mdb.of(List.of(Machine.of("a")));
    assertTrue(file().writeIfChanged(mdb));
    assertFalse(file().writeIfChanged(mdb));
    assertTrue(file().writeIfChanged(mdb.put(Machine.of("b"))));
  }

  @Test
  void lockFileSitsBesideTheFile() {
    assertEquals(dir.resolve("mdb.json.lock").toAbsolutePath(), file().lockPath());
  }
}
