package dominion.proto.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The status and framing of an HTTP/1.1 response, read strictly and within bounds from the start of
 * a connection: the status line and each header line at most {@link #MAX_LINE} bytes, at most
 * {@link #MAX_HEADERS} headers. Interim (1xx) responses are skipped. Only the headers that frame
 * the body are kept.
 *
 * @param status the status code
 * @param contentLength the body's length, or -1 if not given
 * @param chunked true if the body is chunked
 */
record ResponseHead(int status, long contentLength, boolean chunked) {
  /** The longest line (status, header, chunk size or trailer), without its line end. */
  static final int MAX_LINE = 8192;

  /** The most header (or trailer) lines. */
  static final int MAX_HEADERS = 100;

  /**
   * Reads a response head, up to and including the empty line that ends it.
   *
   * @throws EOFException if the connection ends first
   * @throws ProtocolException if the head is malformed or too large
   */
  static ResponseHead read(InputStream in) throws IOException {
    while (true) {
      String statusLine = line(in, "status line");
      int status = status(statusLine);
      long length = -1;
      String transferEncoding = null;
      int count = 0;
      for (String h = line(in, "header"); !h.isEmpty(); h = line(in, "header")) {
        if (++count > MAX_HEADERS) {
          throw bad("more than " + MAX_HEADERS + " headers");
        }
        int colon = h.indexOf(':');
        if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t' || h.charAt(colon - 1) == ' ') {
          throw bad("malformed header line \"" + h + "\"");
        }
        String name = h.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).strip();
        if (name.equals("content-length")) {
          long l = contentLength(value);
          if (length >= 0 && l != length) {
            throw bad("conflicting Content-Length headers");
          }
          length = l;
        } else if (name.equals("transfer-encoding")) {
          transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
        }
      }
      if (status >= 100 && status < 200) {
        continue;
      }
      boolean chunked = false;
      if (transferEncoding != null) {
        if (!transferEncoding.strip().equalsIgnoreCase("chunked")) {
          throw bad("unsupported Transfer-Encoding \"" + transferEncoding + "\"");
        }
        if (length >= 0) {
          throw bad("both Content-Length and Transfer-Encoding");
        }
        chunked = true;
      }
      return new ResponseHead(status, length, chunked);
    }
  }

  /**
   * Reads one line ended by LF (a CR before it is dropped), of at most {@link #MAX_LINE} bytes.
   *
   * @param what what the line is, for messages
   */
  static String line(InputStream in, String what) throws IOException {
    byte[] b = new byte[128];
    int n = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException(
            n == 0 && what.equals("status line")
                ? "the server closed the connection without answering"
                : "response truncated: the connection closed in a " + what + " line");
      }
      if (c == '\n') {
        if (n > 0 && b[n - 1] == '\r') {
          n--;
        }
        if (n > MAX_LINE) {
          throw bad(what + " line longer than " + MAX_LINE + " bytes");
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (n == MAX_LINE + 1) {
        throw bad(what + " line longer than " + MAX_LINE + " bytes");
      }
      if (n == b.length) {
        b = java.util.Arrays.copyOf(b, Math.min(2 * n, MAX_LINE + 1));
      }
      b[n++] = (byte) c;
    }
  }

  static ProtocolException bad(String why) {
    return new ProtocolException("bad HTTP response: " + why);
  }

  private static int status(String line) throws ProtocolException {
    // HTTP-version SP 3DIGIT [SP reason]
    if (!line.startsWith("HTTP/1.")
        || line.length() < 12
        || (line.charAt(7) != '0' && line.charAt(7) != '1')
        || line.charAt(8) != ' '
        || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw bad("status line \"" + cut(line) + "\"");
    }
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw bad("status line \"" + cut(line) + "\"");
      }
      status = status * 10 + (c - '0');
    }
    if (status < 100) {
      throw bad("status line \"" + cut(line) + "\"");
    }
    return status;
  }

  private static long contentLength(String value) throws ProtocolException {
    if (value.isEmpty()
        || value.length() > 18
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw bad("Content-Length \"" + cut(value) + "\"");
    }
    return Long.parseLong(value);
  }

  private static String cut(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
