package dominion.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FilterTest {

  /** Filter lines, path, want match(path), want matchWithAncestors(path). */
  static Stream<Arguments> rules() {
    return Stream.of(
        // Anchored at the start only.
        Arguments.of(List.of("/var/log/.*"), "/var/log/syslog", true, true),
        Arguments.of(List.of("/var/log/.*"), "/var/log", false, false),
        Arguments.of(List.of("/var/log/.*"), "/srv/var/log/x", false, false),
        Arguments.of(List.of("/var/log"), "/var/logger", true, true),
        Arguments.of(List.of("/var/log"), "/var/lo", false, false),
        Arguments.of(List.of("/var/log$"), "/var/log", true, true),
        Arguments.of(List.of("/var/log$"), "/var/logger", false, false),
        Arguments.of(List.of("log"), "/var/log", false, false),
        // /tmp/.* excludes the contents of /tmp but keeps /tmp itself managed.
        Arguments.of(List.of("/tmp/.*"), "/tmp", false, false),
        Arguments.of(List.of("/tmp/.*"), "/tmp/x", true, true),
        Arguments.of(List.of("/tmp/.*"), "/tmp/x/y", true, true),
        Arguments.of(List.of("/tmp/.*"), "/tmpx", false, false),
        // Subtree exclusion: a matching directory takes its subtree with it.
        Arguments.of(List.of("/data$"), "/data/a/b", false, true),
        Arguments.of(List.of("/a/b$"), "/a/b/c/d", false, true),
        Arguments.of(List.of("/a/b$"), "/a/bc/d", false, false),
        Arguments.of(List.of("/a/b$"), "/a", false, false),
        // Each ancestor is matched as a path of its own: a lookahead cannot see past it.
        Arguments.of(List.of("/a(?!/b)"), "/a/b", false, true),
        // Alternation inside one line stays anchored.
        Arguments.of(List.of("/x|/y"), "/y/z", true, true),
        Arguments.of(List.of("/x|/y"), "/z/y", false, false),
        // Several lines: any line matches.
        Arguments.of(List.of("/proc$", "/sys$", "/tmp/.*"), "/sys/kernel", false, true),
        Arguments.of(List.of("/proc$", "/sys$", "/tmp/.*"), "/etc/passwd", false, false),
        // Inline flags stay inside their line.
        Arguments.of(List.of("(?i)/abc", "/def"), "/ABC", true, true),
        Arguments.of(List.of("(?i)/abc", "/def"), "/DEF", false, false),
        // Back-references and named groups work (lines matched one by one).
        Arguments.of(List.of("/(x)\\1", "/(y)\\1"), "/yy", true, true),
        Arguments.of(List.of("/(?<n>x)", "/(?<n>y)"), "/y", true, true),
        // "!" inverts: the lines then name what is managed.
        Arguments.of(List.of("!", "/etc$", "/etc/.*"), "/etc/passwd", false, false),
        Arguments.of(List.of("!", "/etc$", "/etc/.*"), "/usr/bin/ls", true, true),
        Arguments.of(List.of("!", "/etc/.*"), "/etc/passwd", false, true),
        Arguments.of(List.of("!"), "/anything", true, true),
        // The root is never excluded by the subtree rule.
        Arguments.of(List.of(".*"), "/", true, false),
        Arguments.of(List.of("!"), "/", true, false),
        // Blank lines are ignored (a blank regex would otherwise match everything).
        Arguments.of(List.of("", "  ", "\r", "/x$"), "/y", false, false),
        // A trailing CR is not part of the regex.
        Arguments.of(List.of("/x$\r"), "/x", true, true),
        // Literal prefixes are only a shortcut: quantifiers, escapes and mixed lines still work.
        Arguments.of(List.of("/ab?c"), "/ac", true, true),
        Arguments.of(List.of("/ab*c", "/x"), "/ac", true, true),
        Arguments.of(List.of("/a\\.?b$"), "/ab", true, true),
        Arguments.of(List.of("/a\\.b$"), "/axb", false, false),
        Arguments.of(List.of("/a\uD83D\uDE00?/b"), "/a/b", true, true),
        Arguments.of(List.of("/srv/.*", ".*\\.bak"), "/etc/x.bak", true, true),
        Arguments.of(List.of("/srv/.*", "/s(rv)?"), "/s", true, true),
        Arguments.of(List.of("/(x)\\1", "/y/.*"), "/y/z", true, true),
        Arguments.of(List.of("/(x)\\1", "/y/.*"), "/z/y/z", false, false),
        // No lines: everything managed.
        Arguments.of(List.of(), "/etc/passwd", false, false));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rules")
  void rule(List<String> lines, String path, boolean match, boolean withAncestors) {
    Filter filter = Filter.parse(lines);
    assertEquals(match, filter.match(path), "match");
    assertEquals(withAncestors, filter.matchWithAncestors(path), "matchWithAncestors");
  }

  /** Lines, message the error must contain. */
  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of(
            List.of("/ok", "", "/also", "/var/[log"),
            "bad filter line 4 \"/var/[log\": Unclosed character class"),
        Arguments.of(List.of("("), "bad filter line 1 \"(\": "),
        Arguments.of(List.of("/a", "*"), "bad filter line 2 \"*\": Dangling meta character"),
        Arguments.of(List.of("/a)|(/b"), "bad filter line 1 \"/a)|(/b\": "),
        Arguments.of(List.of("/a\n/b"), "holds a newline"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLines")
  void badLine(List<String> lines, String want) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Filter.parse(lines));
    assertTrue(e.getMessage().contains(want), e.getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "/var/log/.* ; /var/log/",
        "/var/log$ ; /var/log",
        "/etc/foo\\.conf ; /etc/foo.conf",
        "/ab?c ; /a",
        "/ab{2} ; /a",
        "/a\\d ; /a",
        "/x|/y ; ''",
        "(?i)/x ; ''",
        "^/x ; ''",
        "[/]x ; ''",
      })
  void literalPrefix(String regex, String want) {
    assertEquals(want, Filter.literalPrefix(regex));
  }

  @Test
  void linesKeptWithoutBlanksOrCarriageReturns() {
    Filter filter = Filter.parse(List.of("!", "", "/etc/.*\r", "/var$"));
    assertEquals(List.of("!", "/etc/.*", "/var$"), filter.lines());
    assertEquals("!\n/etc/.*\n/var$\n", filter.toText());
  }

  @Test
  void emptyAndBlankFiltersAreEmpty() {
    assertSame(Filter.EMPTY, Filter.parse(List.of("", " ")));
    assertTrue(Filter.EMPTY.isEmpty());
    assertEquals("", Filter.EMPTY.toText());
  }

  @Test
  void equalityOnLines() {
    assertEquals(Filter.parse(List.of("/a", "/b")), Filter.parse(List.of("/a", "", "/b\r")));
    assertEquals(
        Filter.parse(List.of("/a", "/b")).hashCode(), Filter.parse(List.of("/a", "/b")).hashCode());
    assertNotEquals(Filter.parse(List.of("/a", "/b")), Filter.parse(List.of("/b", "/a")));
  }

  @Test
  void loadsFileWithCrLfAndBlankLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("filter");
    Files.writeString(file, "/tmp/.*\r\n\r\n/var/log/.*\r\n", StandardCharsets.UTF_8);
    Filter filter = Filter.load(file);
    assertEquals(List.of("/tmp/.*", "/var/log/.*"), filter.lines());
    assertTrue(filter.match("/var/log/x"));
    assertFalse(filter.match("/tmp"));
  }

  @Test
  void loadNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("filter");
    Files.writeString(file, "/ok\n[\n", StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Filter.load(file));
    assertTrue(e.getMessage().startsWith(file + ": bad filter line 2 \"[\""), e.getMessage());
  }

  @Test
  void manyLinesCombinedMatchLikeOneByOne() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add("/srv/d" + i + "/.*");
    }
    Filter filter = Filter.parse(lines);
    assertTrue(filter.match("/srv/d499/x"));
    assertTrue(filter.matchWithAncestors("/srv/d7/x/y"));
    assertFalse(filter.match("/srv/d500/x"));
    assertFalse(filter.match("/srv/d7"));
  }

  @Test
  void jsonIsArrayOfLines() throws Exception {
    var mapper = Json.mapper();
    Filter filter = Filter.parse(List.of("!", "/etc/.*"));
    String json = mapper.writeValueAsString(filter);
    assertEquals("[\"!\",\"/etc/.*\"]", json);
    assertEquals(filter, mapper.readValue(json, Filter.class));
  }
}
