package dominion.imageserver.rpc;

import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectChecker;
import dominion.proto.imageserver.CheckObjectsRequest;
import dominion.proto.imageserver.CheckObjectsResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** ObjectServer.CheckObjects: answers with the requested hashes that are not stored. */
public final class CheckObjectsHandler
    implements Handlers.Unary<CheckObjectsRequest, CheckObjectsResponse> {
  private final ObjectChecker store;

  public CheckObjectsHandler(ObjectChecker store) {
    this.store = store;
  }

  @Override
  public CheckObjectsResponse handle(CheckObjectsRequest request, CallContext call)
      throws IOException {
    Set<Hash> distinct = new LinkedHashSet<>();
    for (String hex : request.hashes()) {
      distinct.add(Hash.parse(hex));
    }
    List<String> missing = new ArrayList<>();
    for (Hash h : distinct) {
      if (!store.has(h)) {
        missing.add(h.hex());
      }
    }
    return new CheckObjectsResponse(missing);
  }
}
