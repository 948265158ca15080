package dominion.proto.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decoded bytes of a chunked HTTP/1.1 body. Chunk extensions are ignored and trailers skipped
 * (bounded as headers are: {@link ResponseHead}). A connection that ends before the last chunk is
 * an {@link EOFException}, never a clean end. Not thread-safe.
 */
final class ChunkedBody extends InputStream {
  private final InputStream in;
  private long left;
  private boolean first = true;
  private boolean ended;

  /**
   * @param in the connection, buffered, standing at the first chunk
   */
  ChunkedBody(InputStream in) {
    this.in = in;
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
    if (left == 0 && !nextChunk()) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw new EOFException(
          "response body truncated: the connection closed with "
              + left
              + " bytes of a chunk unread");
    }
    left -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return left == 0 ? 0 : (int) Math.min(in.available(), left);
  }

  // Reads the next chunk's size line (and the line end of the chunk before); false after the last.
  private boolean nextChunk() throws IOException {
    if (ended) {
      return false;
    }
    if (!first) {
      String end = ResponseHead.line(in, "chunk end");
      if (!end.isEmpty()) {
        throw ResponseHead.bad("chunk data longer than its size");
      }
    }
    first = false;
    String line = ResponseHead.line(in, "chunk size");
    int semicolon = line.indexOf(';');
    long size = size((semicolon < 0 ? line : line.substring(0, semicolon)).strip());
    if (size > 0) {
      left = size;
      return true;
    }
    ended = true;
    int trailers = 0;
    while (!ResponseHead.line(in, "trailer").isEmpty()) {
      if (++trailers > ResponseHead.MAX_HEADERS) {
        throw ResponseHead.bad("more than " + ResponseHead.MAX_HEADERS + " trailers");
      }
    }
    return false;
  }

  private static long size(String hex) throws IOException {
    // 15 hex digits keep the size below 2^60: no overflow.
    if (hex.isEmpty() || hex.length() > 15) {
      throw ResponseHead.bad("chunk size \"" + hex + "\"");
    }
    long size = 0;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        throw ResponseHead.bad("chunk size \"" + hex + "\"");
      }
      size = size << 4 | d;
    }
    return size;
  }
}
