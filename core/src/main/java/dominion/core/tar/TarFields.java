package dominion.core.tar;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The fields of a 512-byte tar header (POSIX ustar, which GNU tar's format shares up to the prefix
 * field) and their encodings: NUL-terminated strings, octal numbers, and GNU's base-256 numbers for
 * values too large for octal.
 *
 * <pre>
 *   0 name[100]   100 mode[8]   108 uid[8]   116 gid[8]   124 size[12]   136 mtime[12]
 * 148 chksum[8]   156 typeflag  157 linkname[100]   257 magic[6]   263 version[2]
 * 265 uname[32]   297 gname[32] 329 devmajor[8]     337 devminor[8] 345 prefix[155]
 * </pre>
 */
final class TarFields {
  static final int BLOCK = 512;
  static final int NAME = 0;
  static final int NAME_LEN = 100;
  static final int MODE = 100;
  static final int UID = 108;
  static final int GID = 116;
  static final int SIZE = 124;
  static final int MTIME = 136;
  static final int CHKSUM = 148;
  static final int TYPEFLAG = 156;
  static final int LINKNAME = 157;
  static final int MAGIC = 257;
  static final int VERSION = 263;
  static final int DEVMAJOR = 329;
  static final int DEVMINOR = 337;
  static final int PREFIX = 345;
  static final int PREFIX_LEN = 155;

  /** Largest value of an 8-byte octal field (7 digits). */
  static final long MAX_OCTAL_8 = 07777777L;

  /** Largest value of a 12-byte octal field (11 digits). */
  static final long MAX_OCTAL_12 = 077777777777L;

  private TarFields() {}

  /** True if the whole block is zero bytes (an end-of-archive marker). */
  static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** True if the header's magic says POSIX ustar ("ustar\0"), whose prefix field is in use. */
  static boolean isPosixUstar(byte[] h) {
    return h[MAGIC] == 'u'
        && h[MAGIC + 1] == 's'
        && h[MAGIC + 2] == 't'
        && h[MAGIC + 3] == 'a'
        && h[MAGIC + 4] == 'r'
        && h[MAGIC + 5] == 0;
  }

  /**
   * Checks the header checksum: the sum of all bytes with the checksum field taken as spaces,
   * unsigned (as POSIX says) or signed (as some old tars computed it).
   */
  static boolean checksumOk(byte[] h) {
    long stored;
    try {
      stored = number(h, CHKSUM, 8);
    } catch (NumberFormatException e) {
      return false;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= CHKSUM && i < CHKSUM + 8) ? (byte) ' ' : h[i];
      unsigned += b & 0xff;
      signed += b;
    }
    return stored == unsigned || stored == signed;
  }

  /** Writes the checksum of an otherwise complete header: 6 octal digits, NUL, space. */
  static void putChecksum(byte[] h) {
    for (int i = CHKSUM; i < CHKSUM + 8; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    putOctal(h, CHKSUM, 7, sum);
    h[CHKSUM + 7] = ' ';
  }

  /**
   * Reads a numeric field: octal digits (leading spaces and NULs allowed, ending at a space or NUL)
   * or, when the first byte's high bit is set, a big-endian two's-complement base-256 number.
   *
   * @throws NumberFormatException if the field is neither, or does not fit in a long
   */
  static long number(byte[] h, int offset, int length) {
    if ((h[offset] & 0x80) != 0) {
      // Base-256: the first byte's top bit is the marker; the next bit is the sign.
      long value = (byte) (h[offset] << 1) >> 1;
      for (int i = 1; i < length; i++) {
        if (value > (Long.MAX_VALUE >> 8) || value < (Long.MIN_VALUE >> 8)) {
          throw new NumberFormatException("base-256 number too large");
        }
        value = (value << 8) | (h[offset + i] & 0xff);
      }
      return value;
    }
    int i = offset;
    int end = offset + length;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    long value = 0;
    for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
      int digit = h[i] - '0';
      if (digit < 0 || digit > 7) {
        throw new NumberFormatException("bad octal digit 0x" + Integer.toHexString(h[i] & 0xff));
      }
      if (value > (Long.MAX_VALUE >> 3)) {
        throw new NumberFormatException("octal number too large");
      }
      value = (value << 3) | digit;
    }
    for (; i < end; i++) {
      if (h[i] != ' ' && h[i] != 0) {
        throw new NumberFormatException("junk after an octal number");
      }
    }
    return value;
  }

  /** Writes {@code value} as {@code digits} zero-padded octal digits and a NUL. */
  static void putOctal(byte[] h, int offset, int digits, long value) {
    if (value < 0 || (digits < 21 && value >= 1L << (3 * digits))) {
      throw new IllegalArgumentException(value + " does not fit in " + digits + " octal digits");
    }
    for (int i = digits - 1; i >= 0; i--) {
      h[offset + i] = (byte) ('0' + (value & 7));
      value >>>= 3;
    }
    h[offset + digits] = 0;
  }

  /** Writes a field of {@code length} bytes in octal, or 0 when the value needs PAX instead. */
  static void putNumberOrZero(byte[] h, int offset, int length, long value) {
    boolean fits = value >= 0 && value < 1L << (3 * (length - 1));
    putOctal(h, offset, length - 1, fits ? value : 0);
  }

  /** The bytes of a NUL-terminated (or full-length) field. */
  static byte[] bytes(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    byte[] out = new byte[end - offset];
    System.arraycopy(h, offset, out, 0, out.length);
    return out;
  }

  /** Copies {@code value} into a field, which must hold it; the rest stays zero. */
  static void putBytes(byte[] h, int offset, int length, byte[] value) {
    System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
  }

  /**
   * Decodes UTF-8 strictly: a name that is not valid UTF-8 cannot become a tree path without
   * silently changing.
   */
  static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
