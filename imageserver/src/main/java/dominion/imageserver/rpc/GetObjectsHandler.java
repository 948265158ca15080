package dominion.imageserver.rpc;

import dominion.core.hash.Hash;
import dominion.core.objectstore.DiskObjectStore;
import dominion.proto.imageserver.GetObjectsRequest;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * ObjectServer.GetObjects: checks that every object is stored (else NOT_FOUND before any byte),
 * then streams each as its length and bytes (see {@link ObjectFraming}).
 */
public final class GetObjectsHandler implements Handlers.Download<GetObjectsRequest> {
  private static final int MISSING_SHOWN = 5;

  private final DiskObjectStore store;

  public GetObjectsHandler(DiskObjectStore store) {
    this.store = store;
  }

  @Override
  public void handle(GetObjectsRequest request, CallContext call, OutputStream out)
      throws Exception {
    List<Hash> hashes = new ArrayList<>(request.hashes().size());
    for (String hex : request.hashes()) {
      hashes.add(Hash.parse(hex));
    }
    List<String> missing = new ArrayList<>();
    int missingCount = 0;
    for (Hash h : hashes) {
      if (!store.has(h) && missingCount++ < MISSING_SHOWN) {
        missing.add(h.hex());
      }
    }
    if (missingCount > 0) {
      throw RpcException.notFound(
          "get objects: "
              + missingCount
              + " of "
              + hashes.size()
              + " objects are not stored, first "
              + String.join(", ", missing));
    }
    for (Hash h : hashes) {
      try (FileChannel ch = FileChannel.open(store.pathOf(h), StandardOpenOption.READ);
          InputStream in = Channels.newInputStream(ch)) {
        long size = ch.size();
        ObjectFraming.writeLength(out, size);
        long sent = ObjectFraming.exactly(in, size).transferTo(out);
        if (sent != size) {
          throw new java.io.IOException("object " + h.hex() + " shrank while it was sent");
        }
      }
    }
  }
}
