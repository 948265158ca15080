package dominion.dominator.herd;

import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.UpdateRequest;
import java.util.List;

/**
 * The calls the herd makes to one subd: {@link dominion.proto.subd.SubdClient}'s, narrowed so that
 * tests can stand in a fake sub. Every failure is an {@link dominion.proto.rpc.RpcException}.
 */
public interface SubApi {
  PollResult poll(long haveGeneration, boolean shortOnly);

  void fetch(FetchRequest request);

  void update(UpdateRequest request);

  void cleanup(List<String> hashes);

  /** Opens the API of the subd at {@code host:port}. */
  @FunctionalInterface
  interface Factory {
    SubApi open(String host, int port);
  }
}
