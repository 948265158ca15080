package dominion.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TriggersTest {
  private static final String SAMPLE =
      """
      [
        {"MatchLines": ["/etc/ssh/.*", "/usr/sbin/sshd$"], "Service": "sshd",
         "DoReload": true, "SortName": "50"},
        {"MatchLines": ["/etc/nginx/.*"], "Service": "nginx", "HighImpact": true,
         "SortName": "20", "Owner": "web-team", "Extra": {"nested": [1, 2]}},
        {"MatchLines": ["/boot/.*"], "Service": "kernel", "DoReboot": true},
        {"MatchLines": ["/etc/.*"], "Service": "apache", "SortName": "20"},
        {"Service": "idle"}
      ]
      """;

  private static Triggers sample() {
    return Triggers.parse(SAMPLE.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesFieldsIgnoringUnknownOnes() {
    List<Trigger> list = sample().list();
    assertEquals(5, list.size());
    assertEquals(
        new Trigger(List.of("/etc/ssh/.*", "/usr/sbin/sshd$"), "sshd", true, false, false, "50"),
        list.get(0));
    assertEquals(
        new Trigger(List.of("/etc/nginx/.*"), "nginx", false, false, true, "20"), list.get(1));
    assertEquals(new Trigger(List.of("/boot/.*"), "kernel", false, true, false, ""), list.get(2));
  }

  @Test
  void missingOptionalFieldsDefaultToFalseAndEmpty() {
    Trigger idle = sample().list().get(4);
    assertEquals(new Trigger(List.of(), "idle", false, false, false, ""), idle);
  }

  /** Changed paths (';'-separated), services of the matching triggers in order. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/etc/ssh/sshd_config | apache;sshd",
        "/usr/sbin/sshd | sshd",
        "/usr/sbin/sshd-keygen | ''",
        "/etc | ''",
        "/etc/nginx/nginx.conf | apache;nginx",
        "/etc/passwd | apache",
        "/boot/vmlinuz;/usr/sbin/sshd | kernel;sshd",
        "/etc/ssh/x;/etc/nginx/y;/boot/z | kernel;apache;nginx;sshd",
        "/var/log/syslog | ''",
      })
  void matchingOrdersBySortNameThenService(String paths, String services) {
    List<String> changed = List.of(paths.split(";"));
    List<String> want = services.isEmpty() ? List.of() : List.of(services.split(";"));
    assertEquals(want, sample().matching(changed).stream().map(Trigger::service).toList());
  }

  @Test
  void matchingPathIsMatchingOfOne() {
    assertEquals(sample().matching(List.of("/etc/ssh/x")), sample().matchingPath("/etc/ssh/x"));
  }

  @Test
  void matchLinesFollowFilterRules() {
    Triggers triggers =
        Triggers.of(
            List.of(
                Trigger.of("all-but-etc", List.of("!", "/etc/.*")),
                Trigger.of("blank", List.of("", "/opt/x$"))));
    assertEquals(
        List.of("all-but-etc"),
        triggers.matchingPath("/usr/bin/ls").stream().map(Trigger::service).toList());
    assertEquals(List.of(), triggers.matchingPath("/etc/hosts"));
    assertEquals(
        List.of("all-but-etc", "blank"),
        triggers.matchingPath("/opt/x").stream().map(Trigger::service).toList());
  }

  /** Bad triggers JSON, message the error must contain. */
  static Stream<Arguments> badJson() {
    return Stream.of(
        Arguments.of("", "bad triggers JSON"),
        Arguments.of("[{\"Service\": \"a\"", "bad triggers JSON at line 1 column "),
        Arguments.of("[\n{\"Service\": \"a\",\n \"DoReload\": tru}]", "at line 3 column "),
        Arguments.of("{\"Service\": \"a\"}", "bad triggers JSON at line 1 column 1"),
        Arguments.of("null", "want an array"),
        Arguments.of("[null]", "entry 0 is null"),
        Arguments.of("[{\"Service\": \"a\", \"DoReboot\": \"maybe\"}]", "(entry 0)"),
        Arguments.of("[{\"MatchLines\": [\"/x\"]}]", "Service is empty"),
        Arguments.of("[{\"Service\": \"a\"}, {\"Service\": \"\"}]", "(entry 1): bad trigger"),
        Arguments.of(
            "[{\"Service\": \"sshd\", \"MatchLines\": [\"/ok\", \"/etc/[ssh\"]}]",
            "bad trigger \"sshd\": bad filter line 2 \"/etc/[ssh\": Unclosed character class"),
        Arguments.of("[{\"Service\": \"a\", \"MatchLines\": [null]}]", "MatchLines holds null"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badJson")
  void badJsonNamesProblemAndPlace(String json, String want) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Triggers.parse(json.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains(want), e.getMessage());
  }

  @Test
  void emptyServiceRejectedInConstructor() {
    assertThrows(IllegalArgumentException.class, () -> Trigger.of(" ", List.of("/x")));
    assertThrows(IllegalArgumentException.class, () -> Trigger.of(null, List.of("/x")));
  }

  @Test
  void nullsNormalised() {
    Trigger t = new Trigger(null, "s", false, false, false, null);
    assertEquals(List.of(), t.matchLines());
    assertEquals("", t.sortName());
  }

  @Test
  void jsonRoundTrips() {
    Triggers triggers = sample();
    byte[] json = triggers.toJson();
    assertEquals(triggers, Triggers.parse(json));
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("]\n"), text);
    assertTrue(text.contains("\"MatchLines\""), text);
    assertTrue(text.contains("\"HighImpact\" : true"), text);
    assertFalse(text.contains("Owner"), text);
  }

  @Test
  void emptyArrayIsNone() {
    assertSame(Triggers.NONE, Triggers.parse("[]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(Triggers.NONE.isEmpty());
    assertEquals(List.of(), Triggers.NONE.matchingPath("/etc/x"));
    assertEquals("[ ]\n", new String(Triggers.NONE.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void loadNamesFile(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("triggers.json");
    Files.write(good, SAMPLE.getBytes(StandardCharsets.UTF_8));
    assertEquals(sample(), Triggers.load(good));
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[", StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Triggers.load(bad));
    assertTrue(e.getMessage().startsWith(bad + ": bad triggers JSON"), e.getMessage());
  }

  @Test
  void embedsAsJsonArrayInOtherRecords() throws Exception {
    record Holder(Triggers triggers, Filter filter) {}
    var mapper = Json.mapper();
    Holder holder = new Holder(sample(), Filter.parse(List.of("/tmp/.*")));
    String json = mapper.writeValueAsString(holder);
    assertEquals(holder, mapper.readValue(json, Holder.class));
  }
}
