package dominion.mdb.mdbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSpecTest {
  @TempDir Path dir;

  @Test
  void readsKindsAndLocations() throws Exception {
    Path f = dir.resolve("sources");
    Files.writeString(f, "# comment\njson inventory.json\n\ntext http://h:1/list\n");
    List<SourceSpec> specs = SourceSpec.load(f);
    assertEquals(SourceSpec.Kind.JSON, specs.get(0).kind());
    assertEquals(
        dir.resolve("inventory.json").toAbsolutePath().toString(), specs.get(0).location());
    assertTrue(specs.get(1).isUrl());
  }

  @Test
  void rejectsAnUnknownKind() throws Exception {
    Path f = dir.resolve("sources");
    Files.writeString(f, "yaml x\n");
    var e = assertThrows(IllegalArgumentException.class, () -> SourceSpec.load(f));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void rejectsALineWithoutLocation() throws Exception {
    Path f = dir.resolve("sources");
    Files.writeString(f, "json\n");
    assertThrows(IllegalArgumentException.class, () -> SourceSpec.load(f));
  }
}
