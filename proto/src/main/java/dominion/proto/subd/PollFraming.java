package dominion.proto.subd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.fs.FileTree;
import dominion.core.fs.TreeCodec;
import dominion.core.hash.Hash;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The byte layout of a {@code Subd.Poll} response, shared by subd and its clients.
 *
 * <pre>
 * 4 bytes    length of the JSON head, big-endian
 * length     JSON {@link PollResponse}
 * if hasTree:
 *   the {@link TreeCodec} encoding of the sub's tree
 *   varint     number of cached objects (unsigned LEB128)
 *   64 bytes   the raw SHA-512 of each, in no particular order
 * </pre>
 *
 * The tree is sent as TreeCodec bytes rather than JSON because a full root is tens of thousands of
 * entries: the binary form is about a third of the JSON's size and decodes without garbage.
 */
public final class PollFraming {
  private static final int MAX_HEAD = 1 << 24;
  private static final long MAX_OBJECTS = 1L << 28;

  private PollFraming() {}

  /**
   * Writes a poll response. {@code tree} and {@code cached} must be non-null exactly when {@code
   * response.hasTree()}.
   */
  public static void write(
      OutputStream out,
      ObjectMapper mapper,
      PollResponse response,
      FileTree tree,
      Collection<Hash> cached)
      throws IOException {
    if (response.hasTree() != (tree != null && cached != null)) {
      throw new IllegalArgumentException("poll response: hasTree disagrees with the tree given");
    }
    DataOutputStream data = new DataOutputStream(out);
    byte[] head = mapper.writeValueAsBytes(response);
    data.writeInt(head.length);
    data.write(head);
    if (response.hasTree()) {
      TreeCodec.write(tree, data);
      writeVarLong(data, cached.size());
      byte[] raw = new byte[Hash.LENGTH];
      for (Hash h : cached) {
        h.copyTo(raw, 0);
        data.write(raw);
      }
    }
    data.flush();
  }

  /**
   * Reads a poll response (buffer {@code in}).
   *
   * @throws IOException naming what is wrong with a truncated or malformed response
   */
  public static PollResult read(InputStream in, ObjectMapper mapper) throws IOException {
    DataInputStream data = new DataInputStream(in);
    PollResponse response;
    try {
      int length = data.readInt();
      if (length < 0 || length > MAX_HEAD) {
        throw new IOException("bad poll response: head length " + length);
      }
      byte[] head = data.readNBytes(length);
      if (head.length < length) {
        throw new EOFException("bad poll response: truncated head");
      }
      response = mapper.readValue(head, PollResponse.class);
    } catch (EOFException e) {
      throw new IOException("bad poll response: truncated", e);
    }
    if (!response.hasTree()) {
      return new PollResult(response, null, null);
    }
    FileTree tree = TreeCodec.read(data);
    try {
      long count = readVarLong(data);
      if (count < 0 || count > MAX_OBJECTS) {
        throw new IOException("bad poll response: object count " + count);
      }
      Set<Hash> cached = HashSet.newHashSet((int) count);
      byte[] raw = new byte[Hash.LENGTH];
      for (long i = 0; i < count; i++) {
        data.readFully(raw);
        cached.add(Hash.ofBytes(raw));
      }
      return new PollResult(response, tree, cached);
    } catch (EOFException e) {
      throw new IOException("bad poll response: truncated object list", e);
    }
  }

  private static void writeVarLong(DataOutputStream out, long v) throws IOException {
    while ((v & ~0x7fL) != 0) {
      out.writeByte((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarLong(DataInputStream in) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("bad poll response: varint too long");
  }
}
