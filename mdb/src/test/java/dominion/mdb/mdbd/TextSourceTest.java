package dominion.mdb.mdbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextSourceTest {
  @Test
  void readsHostRequiredAndPlanned() {
    var nodes = TextSource.parse("web1 web/1 web/2\n");
    assertEquals("web1", nodes.get(0).get("Hostname").asText());
    assertEquals("web/1", nodes.get(0).get("RequiredImage").asText());
    assertEquals("web/2", nodes.get(0).get("PlannedImage").asText());
  }

  @Test
  void imagesAreOptional() {
    var node = TextSource.parse("db1").get(0);
    assertFalse(node.has("RequiredImage"));
  }

  @Test
  void skipsCommentsAndBlankLines() {
    assertEquals(2, TextSource.parse("# fleet\n\na x/1  # first\n  b\n").size());
  }

  @Test
  void rejectsTooManyWordsNamingTheLine() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> TextSource.parse("a\nb x/1 x/2 x/3\n"));
    assertTrue(e.getMessage().startsWith("line 2"), e.getMessage());
  }

  @Test
  void rejectsABadImageName() {
    var e = assertThrows(IllegalArgumentException.class, () -> TextSource.parse("a ../x"));
    assertTrue(e.getMessage().contains("bad image name"), e.getMessage());
  }
}
