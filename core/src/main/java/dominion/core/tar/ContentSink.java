package dominion.core.tar;

import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectAdder;
import java.io.IOException;
import java.io.InputStream;

/** Receives file contents during the second pass of an import. */
@FunctionalInterface
public interface ContentSink {
  /**
   * Takes one content. {@code data} is the bytes as read now, which may differ from what the first
   * pass hashed if the source changed since: the sink must verify the hash itself (an {@link
   * ObjectAdder} given the expected hash does). The stream is valid only during the call.
   *
   * @param hash the hash the first pass computed
   * @param size the size the first pass found
   */
  void accept(Hash hash, long size, InputStream data) throws IOException;

  /** A sink that adds each content to {@code store}, which checks it against its hash. */
  static ContentSink into(ObjectAdder store) {
    return (hash, size, data) -> {
      ObjectAdder.AddResult r = store.add(data, hash);
      if (r.size() != size) {
        throw new IOException(
            "import object " + hash + ": " + r.size() + " bytes, the scan found " + size);
      }
    };
  }
}
