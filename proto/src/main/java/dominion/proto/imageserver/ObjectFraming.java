package dominion.proto.imageserver;

import dominion.core.hash.Hash;
import dominion.proto.rpc.LengthBody;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte layouts of the object streams, shared by server and clients.
 *
 * <pre>
 * ObjectServer.AddObjects request body, until the body ends:
 *   64 bytes   the object's SHA-512 as the sender computed it
 *   8 bytes    its length, big-endian, unsigned (at most 2^63 - 1)
 *   length     its bytes
 *
 * ObjectServer.GetObjects response body, once per requested hash, in request order:
 *   8 bytes    the object's length, big-endian
 *   length     its bytes
 * </pre>
 *
 * There is no padding, no trailer and no count: an AddObjects body ends after its last object (an
 * empty body adds nothing), and a GetObjects reader knows how many objects it asked for.
 */
public final class ObjectFraming {
  /** Bytes before each object in an AddObjects body. */
  public static final int ADD_HEADER_LENGTH = Hash.LENGTH + Long.BYTES;

  private ObjectFraming() {}

  /** The header of one object in an AddObjects body. */
  public record AddHeader(Hash hash, long length) {}

  /** Writes the header that precedes an object of {@code length} bytes in an AddObjects body. */
  public static void writeAddHeader(OutputStream out, Hash hash, long length) throws IOException {
    byte[] header = new byte[ADD_HEADER_LENGTH];
    hash.copyTo(header, 0);
    putLong(header, Hash.LENGTH, checkLength(length));
    out.write(header);
  }

  /**
   * Reads the next AddObjects header, or returns null at a clean end of the body.
   *
   * @throws EOFException if the body ends inside a header
   * @throws IOException if the length is negative
   */
  public static AddHeader readAddHeader(InputStream in) throws IOException {
    byte[] header = new byte[ADD_HEADER_LENGTH];
    int n = in.readNBytes(header, 0, header.length);
    if (n == 0) {
      return null;
    }
    if (n < header.length) {
      throw new EOFException(
          "object stream truncated: "
              + n
              + " bytes of a "
              + ADD_HEADER_LENGTH
              + "-byte object header");
    }
    byte[] hash = new byte[Hash.LENGTH];
    System.arraycopy(header, 0, hash, 0, Hash.LENGTH);
    Hash h = Hash.ofBytes(hash);
    long length = getLong(header, Hash.LENGTH);
    if (length < 0) {
      throw new IOException("bad object stream: negative length for object " + h.hex());
    }
    return new AddHeader(h, length);
  }

  /** Writes the length that precedes an object in a GetObjects response. */
  public static void writeLength(OutputStream out, long length) throws IOException {
    byte[] b = new byte[Long.BYTES];
    putLong(b, 0, checkLength(length));
    out.write(b);
  }

  /**
   * Reads the length that precedes an object in a GetObjects response.
   *
   * @throws EOFException if the stream ends first
   */
  public static long readLength(InputStream in) throws IOException {
    byte[] b = in.readNBytes(Long.BYTES);
    if (b.length < Long.BYTES) {
      throw new EOFException("object stream truncated: it ended before an object's length");
    }
    long length = getLong(b, 0);
    if (length < 0) {
      throw new IOException("bad object stream: negative object length");
    }
    return length;
  }

  /**
   * A view of the next {@code length} bytes of {@code in}. Reading past them gives end of stream;
   * an {@code in} that ends sooner gives {@link EOFException}. Closing the view does not close
   * {@code in} and does not skip unread bytes ({@link LengthBody#skipRest} does). Subd's GetFiles
   * stream uses the same length-then-bytes framing, and so this view.
   */
  public static LengthBody exactly(InputStream in, long length) {
    return new LengthBody(
        in,
        checkLength(length),
        (read, all) ->
            "object stream truncated: " + (all - read) + " bytes of an object are missing");
  }

  private static long checkLength(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative object length " + length);
    }
    return length;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
