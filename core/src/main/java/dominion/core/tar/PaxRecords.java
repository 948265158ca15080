package dominion.core.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * POSIX pax extended-header records: {@code "<length> <key>=<value>\n"}, where the decimal length
 * counts the whole record including itself. Values stay raw bytes: {@code SCHILY.xattr.*} values
 * are binary (GNU tar writes them so), and decoding them as UTF-8, as Commons Compress does, would
 * corrupt capabilities.
 */
final class PaxRecords {
  private PaxRecords() {}

  /**
   * Parses the data of a pax header into key → value, in order. An empty value is kept (it unsets a
   * global value).
   *
   * @throws IllegalArgumentException describing the first malformed record
   */
  static Map<String, byte[]> parse(byte[] data) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // some writers pad the data with NULs
      }
      int space = pos;
      long length = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9') {
        length = length * 10 + (data[space] - '0');
        if (length > data.length) {
          throw new IllegalArgumentException(
              "pax record at offset " + pos + " overruns the header");
        }
        space++;
      }
      if (space == pos || space >= data.length || data[space] != ' ') {
        throw new IllegalArgumentException("pax record at offset " + pos + " has no length");
      }
      int end = pos + (int) length;
      if (end > data.length || end <= space + 1 || data[end - 1] != '\n') {
        throw new IllegalArgumentException("pax record at offset " + pos + " has a bad length");
      }
      int equals = space + 1;
      while (equals < end - 1 && data[equals] != '=') {
        equals++;
      }
      if (equals >= end - 1 || equals == space + 1) {
        throw new IllegalArgumentException("pax record at offset " + pos + " has no key=value");
      }
      String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      out.put(key, Arrays.copyOfRange(data, equals + 1, end - 1));
      pos = end;
    }
    return out;
  }

  /** Encodes records (keys UTF-8, values raw). */
  static byte[] format(Map<String, byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int body = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
      int length = body + Integer.toString(body).length();
      if (Integer.toString(length).length() != Integer.toString(body).length()) {
        length++; // adding the digits made the number one digit longer
      }
      out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(r.getValue());
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** A decimal time in seconds with up to nine fraction digits ("-1.5"), as nanoseconds. */
  static long parseTime(String text) {
    boolean negative = text.startsWith("-");
    String t = negative ? text.substring(1) : text;
    int dot = t.indexOf('.');
    String whole = dot < 0 ? t : t.substring(0, dot);
    String fraction = dot < 0 ? "" : t.substring(dot + 1);
    if (whole.isEmpty()
        || !whole.chars().allMatch(Character::isDigit)
        || !fraction.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("bad time \"" + text + "\"");
    }
    String nineDigits = (fraction + "000000000").substring(0, 9);
    long nanos =
        Math.addExact(
            Math.multiplyExact(Long.parseLong(whole), 1_000_000_000L), Long.parseLong(nineDigits));
    return negative ? -nanos : nanos;
  }

  /** Nanoseconds as a pax time: seconds, and a fraction without trailing zeros if needed. */
  static String formatTime(long nanos) {
    String sign = nanos < 0 ? "-" : "";
    long abs = Math.abs(nanos);
    long seconds = abs / 1_000_000_000L;
    long fraction = abs % 1_000_000_000L;
    if (fraction == 0) {
      return sign + seconds;
    }
    String digits = String.format(Locale.ROOT, "%09d", fraction).replaceAll("0+$", "");
    return sign + seconds + "." + digits;
  }

  /** A non-negative decimal number. */
  static long parseNumber(String key, byte[] value) {
    String text = new String(value, StandardCharsets.US_ASCII);
    if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("bad number \"" + text + "\" for pax key " + key);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("number too large for pax key " + key + ": " + text);
    }
  }
}
