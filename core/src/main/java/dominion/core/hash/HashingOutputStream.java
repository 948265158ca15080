package dominion.core.hash;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Hashes (SHA-512) and counts every byte written through it. */
public final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest digest = Hash.newDigest();
  private long count;

  public HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    out.write(buf, off, len);
    digest.update(buf, off, len);
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The hash of everything written so far; call once, at the end. */
  public Hash hash() {
    return Hash.of(digest);
  }
}
