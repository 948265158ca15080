package dominion.imagetool;

import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import dominion.proto.imageserver.ObjectClient;
import java.io.IOException;
import java.util.Set;

/**
 * Where {@code imagetool add} gets an image's files: first the tree (every content hashed), then a
 * second pass that streams only the contents the server lacks.
 */
interface ContentSource extends AutoCloseable {
  /** The tree, with the filter's paths already left out. */
  FileTree tree();

  /** Sends each of {@code wanted} (hashes of {@link #tree()}'s files) once to {@code sink}. */
  void copyContents(Set<Hash> wanted, ObjectClient.ObjectSink sink) throws IOException;

  @Override
  void close() throws IOException;
}
