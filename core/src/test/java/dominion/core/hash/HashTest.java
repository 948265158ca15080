package dominion.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HashTest {
  static final String ABC =
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
  static final String EMPTY =
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
          + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

  @Test
  void goldenValues() {
    assertEquals(ABC, Hash.of("abc".getBytes(StandardCharsets.US_ASCII)).hex());
    assertEquals(EMPTY, Hash.of(new byte[0]).hex());
  }

  @Test
  void parseRoundTripsAndAcceptsUpperCase() {
    Hash h = Hash.parse(ABC.toUpperCase(Locale.ROOT));
    assertEquals(ABC, h.hex());
    assertEquals(h, Hash.parse(ABC));
    assertEquals(h.hashCode(), Hash.parse(ABC).hashCode());
    assertNotEquals(h, Hash.parse(EMPTY));
  }

  @Test
  void parseRejectsBadText() {
    var e = assertThrows(IllegalArgumentException.class, () -> Hash.parse("abc"));
    assertTrue(e.getMessage().contains("128 hex digits"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Hash.parse(ABC.replace('d', 'g')));
    assertThrows(IllegalArgumentException.class, () -> Hash.parse(null));
  }

  @Test
  void streamsHashWhatPassesThrough() throws IOException {
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
    HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(data));
    in.readAllBytes();
    assertEquals(ABC, in.hash().hex());
    assertEquals(3, in.count());

    HashingOutputStream out = new HashingOutputStream(new ByteArrayOutputStream());
    out.write(data, 0, 1);
    out.write(data[1]);
    out.write(data, 2, 1);
    assertEquals(ABC, out.hash().hex());
    assertEquals(3, out.count());
  }
}
