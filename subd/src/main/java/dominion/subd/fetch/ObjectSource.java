package dominion.subd.fetch;

import dominion.core.hash.Hash;
import java.io.InputStream;
import java.util.List;

/** Where fetched objects come from: an imageserver's ObjectServer.GetObjects. */
@FunctionalInterface
public interface ObjectSource {
  /**
   * Opens a stream of the objects named by {@code hashes}, each as an 8-byte big-endian length and
   * its bytes, in request order. Failures are {@link dominion.proto.rpc.RpcException}s.
   */
  InputStream getObjects(String serverAddress, List<Hash> hashes);
}
