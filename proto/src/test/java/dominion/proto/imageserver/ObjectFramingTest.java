package dominion.proto.imageserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dominion.core.hash.Hash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ObjectFramingTest {
  private static final byte[] DATA = "hello, objects".getBytes(StandardCharsets.UTF_8);
  private static final Hash HASH = Hash.of(DATA);

  @Test
  void addHeaderLayoutIsHashThenBigEndianLength() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ObjectFraming.writeAddHeader(out, HASH, 0x0102030405L);
    byte[] b = out.toByteArray();
    assertEquals(72, b.length);
    assertArrayEquals(HASH.toBytes(), Arrays.copyOf(b, 64));
    assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 5}, Arrays.copyOfRange(b, 64, 72));
  }

  @Test
  void addStreamRoundTrips() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ObjectFraming.writeAddHeader(out, HASH, DATA.length);
    out.write(DATA);
    ObjectFraming.writeAddHeader(out, Hash.of(new byte[0]), 0);
    InputStream in = new ByteArrayInputStream(out.toByteArray());
    ObjectFraming.AddHeader first = ObjectFraming.readAddHeader(in);
    assertEquals(new ObjectFraming.AddHeader(HASH, DATA.length), first);
    assertArrayEquals(DATA, ObjectFraming.exactly(in, first.length()).readAllBytes());
    ObjectFraming.AddHeader second = ObjectFraming.readAddHeader(in);
    assertEquals(0, second.length());
    assertEquals(0, ObjectFraming.exactly(in, 0).readAllBytes().length);
    assertNull(ObjectFraming.readAddHeader(in));
  }

  @Test
  void truncatedHeaderIsEof() {
    InputStream in = new ByteArrayInputStream(new byte[10]);
    assertThrows(EOFException.class, () -> ObjectFraming.readAddHeader(in));
  }

  @Test
  void truncatedObjectIsEof() throws Exception {
    InputStream in = new ByteArrayInputStream(Arrays.copyOf(DATA, 5));
    InputStream view = ObjectFraming.exactly(in, DATA.length);
    EOFException e = assertThrows(EOFException.class, view::readAllBytes);
    assertEquals(
        "object stream truncated: " + (DATA.length - 5) + " bytes of an object are missing",
        e.getMessage());
  }

  @Test
  void exactlyStopsAtLength() throws Exception {
    InputStream in = new ByteArrayInputStream(DATA);
    assertArrayEquals(Arrays.copyOf(DATA, 4), ObjectFraming.exactly(in, 4).readAllBytes());
    assertEquals(DATA[4], (byte) in.read());
  }

  @Test
  void lengthRoundTrips() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ObjectFraming.writeLength(out, Long.MAX_VALUE);
    assertEquals(
        Long.MAX_VALUE, ObjectFraming.readLength(new ByteArrayInputStream(out.toByteArray())));
    assertThrows(
        EOFException.class, () -> ObjectFraming.readLength(new ByteArrayInputStream(new byte[3])));
  }
}
