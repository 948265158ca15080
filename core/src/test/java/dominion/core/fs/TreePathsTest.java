package dominion.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TreePathsTest {
  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a/b.c", "/with space/x"})
  void cleanPathsPass(String path) {
    assertNull(TreePaths.problem(path));
  }

  @ParameterizedTest
  @CsvSource({
    "'', empty",
    "a/b, not absolute",
    "/a/, ends with /",
    "/a//b, empty component",
    "/a/../b, contains \"..\"",
    "/./a, contains \".\"",
  })
  void badPathsAreNamed(String path, String problem) {
    assertEquals(problem, TreePaths.problem(path));
    var e = assertThrows(IllegalArgumentException.class, () -> TreePaths.check(path));
    assertTrue(e.getMessage().contains(problem));
  }

  @ParameterizedTest
  @CsvSource({"./a/b, /a/b", "/a/./b/, /a/b", "., /", "./, /", "a//b, /a/b"})
  void normalizeCleansArchiveNames(String name, String want) {
    assertEquals(want, TreePaths.normalize(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "a/../../b", "/.."})
  void normalizeRefusesEscapes(String name) {
    var e = assertThrows(IllegalArgumentException.class, () -> TreePaths.normalize(name));
    assertTrue(e.getMessage().contains("escapes"), e.getMessage());
  }

  @Test
  void parentNameJoin() {
    assertEquals("/", TreePaths.parent("/a"));
    assertEquals("/a", TreePaths.parent("/a/b"));
    assertEquals("b", TreePaths.name("/a/b"));
    assertEquals("/a", TreePaths.join("/", "a"));
    assertEquals("/a/b", TreePaths.join("/a", "b"));
    assertTrue(TreePaths.isWithin("/a/b", "/a"));
    assertTrue(TreePaths.isWithin("/a", "/a"));
    assertFalse(TreePaths.isWithin("/ab", "/a"));
    assertTrue(TreePaths.isWithin("/x", "/"));
  }

  @Test
  void orderIsPreOrderWithSortedSiblings() {
    List<String> paths = new ArrayList<>(List.of("/a.b", "/a/b", "/", "/a", "/b", "/a/a", "/a-"));
    paths.sort(TreePaths.ORDER);
    assertEquals(List.of("/", "/a", "/a/a", "/a/b", "/a-", "/a.b", "/b"), paths);
  }
}
