package dominion.subd.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.core.json.Json;
import dominion.core.objectstore.ObjectStore;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.subd.PollFraming;
import dominion.proto.subd.PollRequest;
import dominion.proto.subd.PollResponse;
import dominion.proto.subd.SubdStatus;
import dominion.subd.scan.TreeState;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Subd.Poll: the status, and the tree and cache list when the caller's generation is old. */
public final class PollHandler implements Handlers.Download<PollRequest> {
  private final ObjectMapper mapper = Json.mapper();
  private final TreeState state;
  private final ObjectStore cache;
  private final Supplier<SubdStatus> status;
  private final Supplier<List<Trigger>> lastTriggers;

  public PollHandler(TreeState state, ObjectStore cache, Supplier<SubdStatus> status) {
    this(state, cache, status, () -> null);
  }

  /**
   * @param lastTriggers the last applied image's triggers, sent with the tree (the dominator
   *     predicts from them which services an update stops)
   */
  public PollHandler(
      TreeState state,
      ObjectStore cache,
      Supplier<SubdStatus> status,
      Supplier<List<Trigger>> lastTriggers) {
    this.state = state;
    this.cache = cache;
    this.status = status;
    this.lastTriggers = lastTriggers;
  }

  @Override
  public void handle(PollRequest request, CallContext call, OutputStream out) throws Exception {
    TreeState.Snapshot snapshot = state.snapshot();
    boolean hasTree =
        !request.shortOnly()
            && snapshot.tree() != null
            && snapshot.generation() != request.haveGeneration();
    List<Hash> cached = null;
    if (hasTree) {
      cached = new ArrayList<>();
      cache.forEach(cached::add);
    }
    PollResponse response =
        new PollResponse(
            snapshot.generation(), hasTree, status.get(), hasTree ? lastTriggers.get() : null);
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    PollFraming.write(buffered, mapper, response, hasTree ? snapshot.tree() : null, cached);
    buffered.flush();
  }
}
