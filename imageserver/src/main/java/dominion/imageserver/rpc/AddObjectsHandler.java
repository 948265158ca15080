package dominion.imageserver.rpc;

import dominion.core.objectstore.ObjectAdder;
import dominion.proto.imageserver.AddObjectsResponse;
import dominion.proto.imageserver.AddObjectsResponse.AddedObject;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ObjectServer.AddObjects: reads framed objects (see {@link ObjectFraming}) and stores each one,
 * hashing it as it is written; the store refuses one whose bytes do not match its hash.
 */
public final class AddObjectsHandler implements Handlers.Upload<AddObjectsResponse> {
  private static final Logger log = LoggerFactory.getLogger(AddObjectsHandler.class);

  private final ObjectAdder store;

  public AddObjectsHandler(ObjectAdder store) {
    this.store = store;
  }

  @Override
  public AddObjectsResponse handle(InputStream body, CallContext call) throws IOException {
    List<AddedObject> objects = new ArrayList<>();
    long addedCount = 0;
    long addedBytes = 0;
    try {
      for (ObjectFraming.AddHeader h; (h = ObjectFraming.readAddHeader(body)) != null; ) {
        ObjectAdder.AddResult r = store.add(ObjectFraming.exactly(body, h.length()), h.hash());
        objects.add(new AddedObject(r.hash().hex(), r.size(), r.added()));
        if (r.added()) {
          addedCount++;
          addedBytes += r.size();
        }
      }
    } catch (EOFException e) {
      throw RpcException.invalid("add objects: " + e.getMessage() + " (after "
          + objects.size() + " whole objects, which are stored)");
    }
    log.debug("{} added {} of {} objects ({} bytes)", call.who(), addedCount, objects.size(),
        addedBytes);
    return new AddObjectsResponse(objects, addedCount, addedBytes);
  }
}
