package dominion.proto.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An HTTP body of a Content-Length: exactly that many bytes of the connection. A connection that
 * ends sooner is an {@link EOFException}, never a clean end. Not thread-safe.
 */
final class LengthBody extends InputStream {
  private final InputStream in;
  private final long length;
  private long left;

  LengthBody(InputStream in, long length) {
    this.in = in;
    this.length = length;
    this.left = length;
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
      throw new EOFException(
          "response body truncated: the connection closed after "
              + (length - left)
              + " of its "
              + length
              + " bytes");
    }
    left -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), left);
  }
}
