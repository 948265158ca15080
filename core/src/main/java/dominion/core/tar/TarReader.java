package dominion.core.tar;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads tar members one at a time from a (decompressed) stream: POSIX ustar and pax, GNU tar's long
 * names, old V7 archives. Every header checksum is verified, binary pax values are kept exactly,
 * and the archive must end with its end-of-archive marker, so a truncated archive is an error
 * rather than a silent short read (Commons Compress's TarArchiveInputStream returns end of stream
 * when an archive stops at a header boundary, and decodes pax values as UTF-8; hence this class).
 * After the marker the rest of the stream is drained, so the decompressor checks its trailer (gzip
 * CRC and length, xz and zstd checksums).
 *
 * <p>Sparse members (GNU {@code 'S'} or {@code GNU.sparse.*} pax keys) and multi-volume members are
 * refused. Not thread-safe.
 */
final class TarReader implements Closeable {
  /** Limit on a pax or GNU long-name header's data; real ones are a few hundred bytes. */
  private static final int MAX_EXTENDED = 1 << 20;

  private static final int INPUT_BUFFER = 1 << 16;

  private final InputStream in;
  private final String label;
  private final Compression compression;
  private final byte[] header = new byte[TarFields.BLOCK];
  private final Map<String, byte[]> global = new HashMap<>();
  private TarEntry current;
  private TarEntry previous;
  private long remaining;
  private int padding;
  private int ordinal = -1;
  private boolean ended;

  /**
   * @param in the decompressed archive; this reader closes it
   * @param label the archive's name, to start every error message
   * @param compression how {@code in} was compressed, for messages
   */
  TarReader(InputStream in, String label, Compression compression) {
    this.in = in;
    this.label = label;
    this.compression = compression;
  }

  /** Opens a file, detecting its compression from its first bytes. */
  static TarReader open(Path archive) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(archive), INPUT_BUFFER);
    try {
      Compression compression = Compression.detect(raw);
      InputStream plain = compression.decompress(raw);
      if (compression != Compression.NONE) {
        plain = new BufferedInputStream(plain, INPUT_BUFFER);
      }
      return new TarReader(plain, archive.toString(), compression);
    } catch (IOException e) {
      raw.close();
      throw new BadArchiveException(
          "bad archive " + archive + ": cannot read its compression header: " + cause(e), e);
    }
  }

  /**
   * The next member, or null after the end-of-archive marker. Skips whatever is left of the current
   * member's data.
   *
   * @throws BadArchiveException on a corrupt or truncated archive
   */
  TarEntry next() throws IOException {
    if (ended) {
      return null;
    }
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    if (current != null) {
      previous = current;
      current = null;
    }
    Map<String, byte[]> pax = new HashMap<>();
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      if (!readBlock(header)) {
        throw bad("the archive ends without its end-of-archive marker" + after() + " (truncated?)");
      }
      if (TarFields.isZero(header)) {
        if (!pax.isEmpty() || longName != null || longLink != null) {
          throw bad("the archive ends right after an extended header" + after());
        }
        endOfArchive();
        return null;
      }
      if (!TarFields.checksumOk(header)) {
        throw bad("bad header checksum" + after() + ": the archive is corrupt");
      }
      byte type = header[TarFields.TYPEFLAG];
      long size = number(TarFields.SIZE, 12, "size");
      switch (type) {
        case TarEntry.PAX -> pax.putAll(parsePax(readExtended(size, "pax header")));
        case TarEntry.PAX_GLOBAL ->
            global.putAll(parsePax(readExtended(size, "global pax header")));
        case TarEntry.GNU_LONG_NAME -> longName = trimNul(readExtended(size, "GNU long name"));
        case TarEntry.GNU_LONG_LINK -> longLink = trimNul(readExtended(size, "GNU long link name"));
        default -> {
          ordinal++;
          current = entry(type, size, pax, longName, longLink);
          return current;
        }
      }
    }
  }

  /**
   * The current member's data: exactly its size in bytes, then end of stream. Closing it does
   * nothing. A stream that ends early raises {@link BadArchiveException}.
   */
  InputStream data() {
    TarEntry entry = current;
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        if (entry != current) {
          throw new IllegalStateException("data of a member read after moving past it");
        }
        if (remaining == 0) {
          return -1;
        }
        int n = readRaw(buf, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw bad(
              "the data of entry "
                  + describe(entry)
                  + " ends "
                  + remaining
                  + " bytes early (truncated?)");
        }
        remaining -= n;
        return n;
      }
    };
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private TarEntry entry(
      byte type, long size, Map<String, byte[]> pax, byte[] longName, byte[] longLink)
      throws IOException {
    Map<String, byte[]> ext = new HashMap<>(global);
    ext.putAll(pax);
    ext.values().removeIf(v -> v.length == 0);
    byte[] nameBytes = longName != null ? longName : ustarName();
    byte[] linkBytes =
        longLink != null ? longLink : TarFields.bytes(header, TarFields.LINKNAME, 100);
    String name = text(ext.containsKey("path") ? ext.get("path") : nameBytes, "name", null);
    String link = text(ext.containsKey("linkpath") ? ext.get("linkpath") : linkBytes, "link", name);
    String where = "entry \"" + name + "\" (#" + ordinal + ")";
    if (type == TarEntry.GNU_SPARSE
        || ext.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
      throw bad(
          where + " is a sparse file, which is not supported; make the archive without --sparse");
    }
    if (type == 'M' || type == 'N') {
      throw bad(where + " is a GNU multi-volume member, which is not supported");
    }
    try {
      long entrySize =
          ext.containsKey("size") ? PaxRecords.parseNumber("size", ext.get("size")) : size;
      if (entrySize < 0) {
        throw new IllegalArgumentException("negative size " + entrySize);
      }
      remaining = entrySize;
      padding = (int) ((TarFields.BLOCK - entrySize % TarFields.BLOCK) % TarFields.BLOCK);
      long mtime =
          ext.containsKey("mtime")
              ? PaxRecords.parseTime(new String(ext.get("mtime"), StandardCharsets.US_ASCII))
              : Math.multiplyExact(number(TarFields.MTIME, 12, "mtime"), 1_000_000_000L);
      Map<String, byte[]> xattrs = new HashMap<>();
      for (Map.Entry<String, byte[]> e : ext.entrySet()) {
        if (e.getKey().startsWith("SCHILY.xattr.")) {
          xattrs.put(e.getKey().substring("SCHILY.xattr.".length()), e.getValue());
        }
      }
      return new TarEntry(
          ordinal,
          name,
          type,
          (int) (number(TarFields.MODE, 8, "mode") & 07777),
          ext.containsKey("uid")
              ? PaxRecords.parseNumber("uid", ext.get("uid"))
              : number(TarFields.UID, 8, "uid"),
          ext.containsKey("gid")
              ? PaxRecords.parseNumber("gid", ext.get("gid"))
              : number(TarFields.GID, 8, "gid"),
          entrySize,
          mtime,
          link,
          ext.containsKey("SCHILY.devmajor")
              ? PaxRecords.parseNumber("SCHILY.devmajor", ext.get("SCHILY.devmajor"))
              : number(TarFields.DEVMAJOR, 8, "devmajor"),
          ext.containsKey("SCHILY.devminor")
              ? PaxRecords.parseNumber("SCHILY.devminor", ext.get("SCHILY.devminor"))
              : number(TarFields.DEVMINOR, 8, "devminor"),
          xattrs);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw bad(where + ": " + e.getMessage());
    }
  }

  private byte[] ustarName() {
    byte[] name = TarFields.bytes(header, TarFields.NAME, TarFields.NAME_LEN);
    if (!TarFields.isPosixUstar(header)) {
      return name;
    }
    byte[] prefix = TarFields.bytes(header, TarFields.PREFIX, TarFields.PREFIX_LEN);
    if (prefix.length == 0) {
      return name;
    }
    byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
    joined[prefix.length] = '/';
    System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
    return joined;
  }

  private String text(byte[] bytes, String what, String entryName) throws BadArchiveException {
    try {
      return TarFields.utf8(bytes);
    } catch (CharacterCodingException e) {
      String lossy = new String(bytes, StandardCharsets.UTF_8);
      throw bad(
          (entryName == null
                  ? "entry #" + (ordinal) + " \"" + lossy + "\""
                  : "entry \"" + entryName + "\" (#" + ordinal + ")")
              + ": its "
              + what
              + " is not valid UTF-8");
    }
  }

  private long number(int offset, int length, String field) throws BadArchiveException {
    try {
      return TarFields.number(header, offset, length);
    } catch (NumberFormatException e) {
      throw bad("bad " + field + " field" + after() + ": " + e.getMessage());
    }
  }

  private Map<String, byte[]> parsePax(byte[] data) throws BadArchiveException {
    try {
      return PaxRecords.parse(data);
    } catch (IllegalArgumentException e) {
      throw bad("bad pax header" + after() + ": " + e.getMessage());
    }
  }

  private byte[] readExtended(long size, String what) throws IOException {
    if (size < 0 || size > MAX_EXTENDED) {
      throw bad("a " + what + " of " + size + " bytes" + after() + " is too large");
    }
    byte[] data = new byte[(int) size];
    int got = readFully(data, 0, data.length);
    if (got < data.length) {
      throw bad("the archive ends inside a " + what + after() + " (truncated?)");
    }
    skip((TarFields.BLOCK - size % TarFields.BLOCK) % TarFields.BLOCK);
    return data;
  }

  private static byte[] trimNul(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return Arrays.copyOf(data, end);
  }

  /** After the first zero block: accepts a second (or the end), then drains the rest. */
  private void endOfArchive() throws IOException {
    ended = true;
    byte[] second = new byte[TarFields.BLOCK];
    int n = readFully(second, 0, second.length);
    if (n == second.length && !TarFields.isZero(second)) {
      throw bad("a zero block is followed by more headers" + after() + ": the archive is corrupt");
    }
    if (n > 0 && n < second.length) {
      throw bad("the archive ends inside its end-of-archive marker (truncated?)");
    }
    // Reading to the end makes the decompressor check its trailer; tar pads with zeros.
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw bad(
          "cannot read the "
              + compression.name().toLowerCase(Locale.ROOT)
              + " data after the end-of-archive marker: "
              + cause(e),
          e);
    }
  }

  /** Reads one header block; false if the stream ended exactly before it. */
  private boolean readBlock(byte[] block) throws IOException {
    int n = readFully(block, 0, block.length);
    if (n > 0 && n < block.length) {
      throw bad("the archive ends inside a header" + after() + " (truncated?)");
    }
    return n == block.length;
  }

  private void skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
    while (n > 0) {
      int r = readRaw(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw bad("the archive ends inside the data" + after() + " (truncated?)");
      }
      n -= r;
    }
  }

  private int readFully(byte[] buf, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int r = readRaw(buf, off + done, len - done);
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  /** The one place bytes come in: decompressor errors become errors naming the position. */
  private int readRaw(byte[] buf, int off, int len) throws IOException {
    try {
      return in.read(buf, off, len);
    } catch (BadArchiveException e) {
      throw e;
    } catch (IOException e) {
      String what =
          compression == Compression.NONE
              ? "cannot read"
              : "cannot decompress the " + compression.name().toLowerCase(Locale.ROOT) + " data";
      throw bad(what + after() + ": " + cause(e), e);
    }
  }

  /** A decompressor's complaint in words ({@code EOFException}s often carry no message). */
  private static String cause(IOException e) {
    if (e instanceof EOFException) {
      return "it ends early (truncated?)";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private String after() {
    if (current != null) {
      return " in entry " + describe(current);
    }
    return previous == null ? " before the first entry" : " after entry " + describe(previous);
  }

  private static String describe(TarEntry e) {
    return "\"" + e.name() + "\" (#" + e.ordinal() + ")";
  }

  private BadArchiveException bad(String what) {
    return new BadArchiveException("bad archive " + label + ": " + what);
  }

  private BadArchiveException bad(String what, Throwable cause) {
    return new BadArchiveException("bad archive " + label + ": " + what, cause);
  }
}
