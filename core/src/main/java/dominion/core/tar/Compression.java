package dominion.core.tar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * How a tar stream is compressed. Reading goes by the first bytes, never by the file name's
 * extension. Multi-member gzip and multi-stream xz (pigz, pixz) are read whole.
 */
public enum Compression {
  NONE(new byte[0]),
  GZIP(new byte[] {0x1f, (byte) 0x8b}),
  XZ(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
  ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
  BZIP2(new byte[] {'B', 'Z', 'h'});

  private final byte[] magic;

  Compression(byte[] magic) {
    this.magic = magic;
  }

  /** The compression whose magic number starts {@code head}; {@link #NONE} if none does. */
  public static Compression detect(byte[] head, int length) {
    for (Compression c : values()) {
      if (c != NONE && c.magic.length <= length) {
        boolean match = true;
        for (int i = 0; i < c.magic.length && match; i++) {
          match = head[i] == c.magic[i];
        }
        if (match) {
          return c;
        }
      }
    }
    return NONE;
  }

  /**
   * Detects the compression of {@code in} (which must support mark/reset, e.g. a {@link
   * BufferedInputStream}) without consuming anything.
   */
  public static Compression detect(InputStream in) throws IOException {
    byte[] head = new byte[6];
    in.mark(head.length);
    int n = in.readNBytes(head, 0, head.length);
    in.reset();
    return detect(head, n);
  }

  /** Wraps {@code in} to decompress it. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP ->
          GzipCompressorInputStream.builder()
              .setInputStream(in)
              .setDecompressConcatenated(true)
              .get();
      case XZ ->
          XZCompressorInputStream.builder()
              .setInputStream(in)
              .setDecompressConcatenated(true)
              .get();
      case ZSTD -> new ZstdCompressorInputStream(in);
      case BZIP2 -> new BZip2CompressorInputStream(in, true);
    };
  }

  /** Wraps {@code out} to compress into it; closing the result finishes the format. */
  public OutputStream compress(OutputStream out) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, 1 << 16);
      case XZ -> new XZCompressorOutputStream(out);
      case ZSTD -> new ZstdCompressorOutputStream(out);
      case BZIP2 -> new BZip2CompressorOutputStream(out);
    };
  }
}
