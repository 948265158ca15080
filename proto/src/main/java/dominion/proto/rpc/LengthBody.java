package dominion.proto.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Exactly {@code length} bytes of a stream, then end of stream: an HTTP body of a Content-Length,
 * or one length-framed object ({@link dominion.proto.imageserver.ObjectFraming#exactly}). A stream
 * that ends sooner is an {@link EOFException} saying what was short, never a clean end. Closing it
 * leaves the stream open. Not thread-safe.
 */
public final class LengthBody extends InputStream {
  /** What an early end says: the message of the {@link EOFException}. */
  @FunctionalInterface
  public interface Truncation {
    String message(long read, long length);
  }

  private final InputStream in;
  private final long length;
  private final Truncation truncation;
  private long left;

  /**
   * @param length at least 0
   */
  public LengthBody(InputStream in, long length, Truncation truncation) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.in = in;
    this.length = length;
    this.truncation = truncation;
    this.left = length;
  }

  /** A response body of a Content-Length. */
  static LengthBody ofResponse(InputStream in, long length) {
    return new LengthBody(
        in,
        length,
        (read, all) ->
            "response body truncated: the connection closed after "
                + read
                + " of its "
                + all
                + " bytes");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (left == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw new EOFException(truncation.message(length - left, length));
    }
    left -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), left);
  }

  /** Skips the bytes not read yet, so the stream stands after them. */
  public void skipRest() throws IOException {
    in.skipNBytes(left);
    left = 0;
  }
}
