package dominion.imageserver.rpc;

import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.ObjectAdder;
import dominion.core.objectstore.ObjectBatch;
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
 * hashing it as it is written; the store refuses one whose bytes do not match its hash. Objects
 * are staged in an {@link ObjectBatch} and committed every few thousand objects and at the end
 * (also when the stream turns out bad: whole objects before the bad one are kept), so that their
 * fsyncs overlap instead of costing a disk round trip each.
 */
public final class AddObjectsHandler implements Handlers.Upload<AddObjectsResponse> {
  private static final Logger log = LoggerFactory.getLogger(AddObjectsHandler.class);
  private static final int COMMIT_OBJECTS = 4096;
  private static final long COMMIT_BYTES = 512L << 20;

  private final DiskObjectStore store;

  public AddObjectsHandler(DiskObjectStore store) {
    this.store = store;
  }

  @Override
  public AddObjectsResponse handle(InputStream body, CallContext call) throws IOException {
    List<AddedObject> objects = new ArrayList<>();
    long addedCount = 0;
    long addedBytes = 0;
    try (ObjectBatch batch = store.newBatch()) {
      try {
        for (ObjectFraming.AddHeader h; (h = ObjectFraming.readAddHeader(body)) != null; ) {
          ObjectAdder.AddResult r = batch.add(ObjectFraming.exactly(body, h.length()), h.hash());
          objects.add(new AddedObject(r.hash().hex(), r.size(), r.added()));
          if (r.added()) {
            addedCount++;
            addedBytes += r.size();
          }
          if (batch.pendingCount() >= COMMIT_OBJECTS || batch.pendingBytes() >= COMMIT_BYTES) {
            batch.commit();
          }
        }
      } catch (IOException | RuntimeException e) {
        batch.commit();
        if (e instanceof EOFException) {
          throw RpcException.invalid("add objects: " + e.getMessage() + " (the "
              + objects.size() + " whole objects before it are stored)");
        }
        throw e;
      }
      batch.commit();
    }
    log.debug("{} added {} of {} objects ({} bytes)", call.who(), addedCount, objects.size(),
        addedBytes);
    return new AddObjectsResponse(objects, addedCount, addedBytes);
  }
}
