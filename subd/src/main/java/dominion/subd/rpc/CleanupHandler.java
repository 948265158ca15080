package dominion.subd.rpc;

import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectStore;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.CleanupResponse;
import java.util.ArrayList;
import java.util.List;

/** Subd.Cleanup: deletes objects from the cache. */
public final class CleanupHandler implements Handlers.Unary<CleanupRequest, CleanupResponse> {
  private final ObjectStore cache;
  private final Runnable onCacheChanged;

  public CleanupHandler(ObjectStore cache, Runnable onCacheChanged) {
    this.cache = cache;
    this.onCacheChanged = onCacheChanged;
  }

  @Override
  public CleanupResponse handle(CleanupRequest request, CallContext call) throws Exception {
    List<Hash> hashes = new ArrayList<>();
    for (String hex : request.hashes()) {
      hashes.add(Hash.parse(hex));
    }
    boolean changed = false;
    for (Hash h : hashes) {
      changed |= cache.delete(h);
    }
    if (changed) {
      onCacheChanged.run();
    }
    return new CleanupResponse();
  }
}
