package dominion.mdb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostGlobTest {
  @Test
  void literalMatchesOnlyItself() {
    assertTrue(HostGlob.of("web1.example.com").matches("web1.example.com"));
    assertFalse(HostGlob.of("web1.example.com").matches("web1xexample.com"));
    assertTrue(HostGlob.of("web1").isLiteral());
  }

  @Test
  void starMatchesAnyRun() {
    assertTrue(HostGlob.of("web*").matches("web12"));
    assertTrue(HostGlob.of("web*").matches("web"));
    assertFalse(HostGlob.of("web*").matches("db1"));
  }

  @Test
  void questionMarkMatchesOneCharacter() {
    assertTrue(HostGlob.of("db?").matches("db1"));
    assertFalse(HostGlob.of("db?").matches("db12"));
  }

  @Test
  void setsAndNegatedSets() {
    assertTrue(HostGlob.of("db[12]").matches("db2"));
    assertFalse(HostGlob.of("db[12]").matches("db3"));
    assertTrue(HostGlob.of("db[!12]").matches("db3"));
  }

  @Test
  void rejectsAnUnclosedSet() {
    assertThrows(IllegalArgumentException.class, () -> HostGlob.of("db[1"));
  }
}
