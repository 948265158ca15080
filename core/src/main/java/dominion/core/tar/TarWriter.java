package dominion.core.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes POSIX pax tar: a ustar header per member, preceded by a pax header ({@code 'x'}) when a
 * value does not fit ustar: names or link targets over 100 bytes, ids over 07777777, sizes over 8
 * GiB, mtimes with nanoseconds or before 1970, large device numbers, and extended attributes (as
 * binary {@code SCHILY.xattr.*} records, as GNU tar writes them). Owners are numeric only. Not
 * thread-safe; does not close the stream.
 */
final class TarWriter {
  /** GNU tar's default record: 20 blocks. Archives are padded to a multiple of it. */
  private static final int RECORD = 20 * TarFields.BLOCK;

  private final OutputStream out;
  private final byte[] buffer = new byte[1 << 20];
  private long written;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes the header(s) of a member; a regular file's data must follow via {@link #data}. */
  void header(TarEntry e) throws IOException {
    byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
    byte[] link = e.linkName().getBytes(StandardCharsets.UTF_8);
    long seconds = Math.floorDiv(e.mtimeNanos(), 1_000_000_000L);
    Map<String, byte[]> pax = new LinkedHashMap<>();
    if (name.length > TarFields.NAME_LEN) {
      pax.put("path", name);
    }
    if (link.length > TarFields.NAME_LEN) {
      pax.put("linkpath", link);
    }
    putIfOver(pax, "uid", e.uid(), TarFields.MAX_OCTAL_8);
    putIfOver(pax, "gid", e.gid(), TarFields.MAX_OCTAL_8);
    putIfOver(pax, "size", e.size(), TarFields.MAX_OCTAL_12);
    if (e.mtimeNanos() % 1_000_000_000L != 0 || seconds < 0 || seconds > TarFields.MAX_OCTAL_12) {
      pax.put("mtime", ascii(PaxRecords.formatTime(e.mtimeNanos())));
    }
    putIfOver(pax, "SCHILY.devmajor", e.devMajor(), TarFields.MAX_OCTAL_8);
    putIfOver(pax, "SCHILY.devminor", e.devMinor(), TarFields.MAX_OCTAL_8);
    e.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
    if (!pax.isEmpty()) {
      byte[] data = PaxRecords.format(pax);
      String base = e.name().replaceAll("/+$", "");
      base = base.substring(base.lastIndexOf('/') + 1);
      byte[] paxName = ("PaxHeaders/" + base).getBytes(StandardCharsets.UTF_8);
      write(block(paxName, TarEntry.PAX, 0644, 0, 0, data.length, 0, new byte[0], 0, 0));
      write(data, data.length);
      pad(data.length);
    }
    write(
        block(
            name,
            e.type(),
            e.mode(),
            e.uid(),
            e.gid(),
            e.isRegular() ? e.size() : 0,
            seconds,
            link,
            e.devMajor(),
            e.devMinor()));
  }

  /**
   * Copies exactly {@code size} bytes of a regular file's data and the padding after it.
   *
   * @throws IOException if {@code in} holds fewer or more bytes
   */
  void data(InputStream in, long size, String name) throws IOException {
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException(
            "export " + name + ": the object ended " + left + " bytes short of " + size);
      }
      write(buffer, n);
      left -= n;
    }
    if (in.read() >= 0) {
      throw new IOException("export " + name + ": the object is longer than " + size + " bytes");
    }
    pad(size);
  }

  /** Writes the end-of-archive marker and pads to a whole record; flushes. */
  void finish() throws IOException {
    write(new byte[2 * TarFields.BLOCK], 2 * TarFields.BLOCK);
    int tail = (int) (written % RECORD);
    if (tail != 0) {
      write(new byte[RECORD - tail], RECORD - tail);
    }
    out.flush();
  }

  /** One ustar header block with its checksum. */
  static byte[] block(
      byte[] name,
      byte type,
      int mode,
      long uid,
      long gid,
      long size,
      long mtimeSeconds,
      byte[] link,
      long devMajor,
      long devMinor) {
    byte[] h = new byte[TarFields.BLOCK];
    TarFields.putBytes(h, TarFields.NAME, TarFields.NAME_LEN, name);
    TarFields.putOctal(h, TarFields.MODE, 7, mode & 07777);
    TarFields.putNumberOrZero(h, TarFields.UID, 8, uid);
    TarFields.putNumberOrZero(h, TarFields.GID, 8, gid);
    TarFields.putNumberOrZero(h, TarFields.SIZE, 12, size);
    TarFields.putNumberOrZero(h, TarFields.MTIME, 12, mtimeSeconds);
    h[TarFields.TYPEFLAG] = type;
    TarFields.putBytes(h, TarFields.LINKNAME, TarFields.NAME_LEN, link);
    TarFields.putBytes(h, TarFields.MAGIC, 6, new byte[] {'u', 's', 't', 'a', 'r', 0});
    h[TarFields.VERSION] = '0';
    h[TarFields.VERSION + 1] = '0';
    TarFields.putNumberOrZero(h, TarFields.DEVMAJOR, 8, devMajor);
    TarFields.putNumberOrZero(h, TarFields.DEVMINOR, 8, devMinor);
    TarFields.putChecksum(h);
    return h;
  }

  private static void putIfOver(Map<String, byte[]> pax, String key, long value, long max) {
    if (value < 0 || value > max) {
      pax.put(key, ascii(Long.toString(value)));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void pad(long size) throws IOException {
    int n = (int) ((TarFields.BLOCK - size % TarFields.BLOCK) % TarFields.BLOCK);
    if (n > 0) {
      write(new byte[n], n);
    }
  }

  private void write(byte[] block) throws IOException {
    write(block, block.length);
  }

  private void write(byte[] data, int length) throws IOException {
    out.write(data, 0, length);
    written += length;
  }
}
