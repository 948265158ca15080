package dominion.core.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-512 digest: the name of an object. Immutable; its text form is 128 lowercase hex digits.
 */
public final class Hash implements Comparable<Hash> {
  /** Length of a SHA-512 digest in bytes. */
  public static final int LENGTH = 64;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int hashCode;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
    this.hashCode = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of a 64-byte digest. */
  public static Hash ofBytes(byte[] digest) {
    if (digest.length != LENGTH) {
      throw new IllegalArgumentException("bad hash: " + digest.length + " bytes, want " + LENGTH);
    }
    return new Hash(digest.clone());
  }

  /**
   * Parses 128 hex digits (either case).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Hash parse(String hex) {
    if (hex == null || hex.length() != LENGTH * 2) {
      throw new IllegalArgumentException(
          "bad hash \"" + hex + "\": want " + LENGTH * 2 + " hex digits");
    }
    try {
      return new Hash(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad hash \"" + hex + "\": not hex", e);
    }
  }

  /** Returns the SHA-512 of {@code data}. */
  public static Hash of(byte[] data) {
    return new Hash(newDigest().digest(data));
  }

  /** Finishes {@code digest} (which must be SHA-512) and wraps the result. */
  public static Hash of(MessageDigest digest) {
    return new Hash(digest.digest());
  }

  /** A fresh SHA-512 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is missing from this JDK", e);
    }
  }

  /** A copy of the 64 digest bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the 64 digest bytes into {@code out} at {@code offset}. */
  public void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, LENGTH);
  }

  /** The 128 lowercase hex digits. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash h && hashCode == h.hashCode && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public int compareTo(Hash o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}
