package dominion.mdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MdbCodecTest {
  private final MdbCodec codec = new MdbCodec();

  private Mdb parse(String json) {
    return codec.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsDominatorsFields() {
    Mdb mdb =
        parse(
            """
        [{"Hostname": "web1", "IpAddress": "10.1.2.3", "RequiredImage": "web/1",
          "PlannedImage": "web/2", "DisableUpdates": true, "Tags": {"k": "v"},
          "Location": "rack 4"}]""");
    Machine m = mdb.get("web1");
    assertEquals("10.1.2.3", m.ipAddress());
    assertEquals("web/1", m.requiredImage());
    assertEquals("web/2", m.plannedImage());
    assertTrue(m.disableUpdates());
    assertEquals(Map.of("k", "v"), m.tags());
    assertEquals("rack 4", m.location());
    assertEquals(6969, m.dialPort());
  }

  @Test
  void onlyHostnameIsRequired() {
    Machine m = parse("[{\"Hostname\": \"db1\"}]").get("db1");
    assertNull(m.ipAddress());
    assertNull(m.requiredImage());
    assertFalse(m.disableUpdates());
    assertEquals("db1", m.dialAddress());
  }

  @Test
  void readsAnOptionalPort() {
    assertEquals(7000, parse("[{\"Hostname\": \"a\", \"Port\": 7000}]").get("a").dialPort());
  }

  @Test
  void keepsUnknownFieldsThroughARewrite() {
    Mdb mdb = parse("[{\"Hostname\": \"a\", \"OwnerGroup\": \"ops\", \"X\": {\"y\": [1]}}]");
    String written = new String(codec.encode(mdb), StandardCharsets.UTF_8);
    assertTrue(written.contains("\"OwnerGroup\" : \"ops\""), written);
    assertEquals(mdb, codec.parse(codec.encode(mdb)));
    assertFalse(written.contains("extra"), written);
  }

  @Test
  void roundTripsEveryField() {
    Machine m =
        new Machine("h", "10.0.0.1", 7001, "a/1", "a/2", true, Map.of("t", "u"), "here", null);
    Mdb mdb = Mdb.of(java.util.List.of(m, Machine.of("g")));
    assertEquals(mdb, codec.parse(codec.encode(mdb)));
  }

  @Test
  void sortsMachinesByHostname() {
    Mdb mdb = parse("[{\"Hostname\": \"b\"}, {\"Hostname\": \"a\"}]");
    assertEquals("a", mdb.machines().get(0).hostname());
  }

  @Test
  void blankImageMeansNone() {
    assertNull(parse("[{\"Hostname\": \"a\", \"RequiredImage\": \"\"}]").get("a").requiredImage());
  }

  @Test
  void rejectsAMissingHostnameNamingTheEntry() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("[{\"Hostname\": \"a\"}, {\"IpAddress\": \"1.2.3.4\"}]"));
    assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    assertTrue(e.getMessage().contains("Hostname is missing"), e.getMessage());
  }

  @Test
  void rejectsADuplicateHostname() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("[{\"Hostname\": \"a\"}, {\"Hostname\": \"a\"}]"));
    assertTrue(e.getMessage().contains("\"a\" appears twice"), e.getMessage());
  }

  @Test
  void rejectsBadJsonWithItsPosition() {
    var e = assertThrows(IllegalArgumentException.class, () -> parse("[{\"Hostname\": \"a\",]"));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void rejectsAnObjectAtTheTop() {
    var e = assertThrows(IllegalArgumentException.class, () -> parse("{\"Hostname\": \"a\"}"));
    assertTrue(e.getMessage().contains("want an array"), e.getMessage());
  }

  @Test
  void rejectsAnEmptyFile() {
    assertThrows(IllegalArgumentException.class, () -> parse(""));
  }

  @Test
  void rejectsAPortOutOfRange() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("[{\"Hostname\": \"a\", \"Port\": 70000}]"));
    assertTrue(e.getMessage().contains("Port 70000"), e.getMessage());
  }

  @Test
  void rejectsAWrongType() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> parse("[{\"Hostname\": \"a\", \"Tags\": [1]}]"));
    assertTrue(e.getMessage().contains("entry 0 (\"a\")"), e.getMessage());
  }

  @Test
  void safetyCheckTag() {
    assertTrue(Machine.of("a").withPort(null).safetyCheckDisabled() == false);
    Machine m =
        new Machine(
            "a", null, null, null, null, false, Map.of("DisableSafetyCheck", "true"), null, null);
    assertTrue(m.safetyCheckDisabled());
  }
}
