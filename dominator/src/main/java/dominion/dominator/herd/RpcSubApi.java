package dominion.dominator.herd;

import dominion.proto.rpc.RpcClient;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.UpdateRequest;
import java.net.http.HttpClient;
import java.util.List;

/**
 * {@link SubApi} over the real transport: a {@link SubdClient} on the shared HTTP client. Every
 * call is bounded by the client's {@link RpcClient.Limits}: a subd that accepts a poll and then
 * hangs, or stalls mid-tree, fails the poll ({@code UNAVAILABLE}) instead of holding a poll slot.
 */
public final class RpcSubApi implements SubApi {
  private final SubdClient client;

  RpcSubApi(SubdClient client) {
    this.client = client;
  }

  /**
   * A factory of subd clients sharing {@code http} (its pool and TLS context).
   *
   * @param limits unary calls (fetch, update, cleanup) within {@code unary}; a whole poll, tree
   *     included, within {@code streamed}, and never silent for longer than {@code idle}
   */
  public static Factory factory(HttpClient http, boolean tls, RpcClient.Limits limits) {
    return (host, port) ->
        new RpcSubApi(new SubdClient(new RpcClient(http, tls, host, port, limits)));
  }

  @Override
  public PollResult poll(long haveGeneration, boolean shortOnly) {
    return client.poll(haveGeneration, shortOnly);
  }

  @Override
  public void fetch(FetchRequest request) {
    client.fetch(request);
  }

  @Override
  public void update(UpdateRequest request) {
    client.update(request);
  }

  @Override
  public void cleanup(List<String> hashes) {
    client.cleanup(new CleanupRequest(hashes));
  }
}
