package dominion.proto.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {
  private static final List<String> NAMES =
      List.of("sub1.example.com", "10.0.0.5", "0:0:0:0:0:0:0:1");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "sub1.example.com, true",
    "SUB1.Example.COM, true",
    "sub1.example.com., true",
    "sub2.example.com, false",
    "sub1, false",
    "example.com, false",
    "10.0.0.5, true",
    "10.0.0.6, false",
    "::1, true",
    "[::1], true",
    "127.0.0.1, false",
  })
  void matchesDialledHost(String host, boolean expected) {
    assertEquals(expected, HostNames.matches(host, NAMES));
  }

  @Test
  void ipAddressDoesNotMatchNameThatLooksLikeIt() {
    assertEquals(false, HostNames.matches("10.0.0.5", List.of("10.0.0.5.example.com")));
  }

  @Test
  void namesAreNotResolved() {
    assertNull(HostNames.ipBytes("localhost"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sub1", "sub-1.example.com", "10.1.2.3", "fe80::1", "a_b.example"})
  void acceptsHosts(String host) {
    HostNames.validate(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-bad.example", "bad-.example", "two..dots", "sp ace", "*.example"})
  void rejectsBadHosts(String host) {
    assertThrows(IllegalArgumentException.class, () -> HostNames.validate(host));
  }
}
