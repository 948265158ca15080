package dominion.proto.dominator;

import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcException;

/**
 * Typed calls to a dominator. Thread-safe. Every failure is an {@link RpcException} carrying the
 * server's code.
 */
public final class DominatorClient {
  private final RpcClient rpc;

  public DominatorClient(RpcClient rpc) {
    this.rpc = rpc;
  }

  /** {@code host:port} of the dominator, for messages. */
  public String target() {
    return rpc.target();
  }

  /** The subs in state {@code status} (null for all), with the fleet summary. */
  public ListSubsResponse listSubs(String status) {
    return rpc.call(
        DominatorMethods.LIST_SUBS, new ListSubsRequest(status), ListSubsResponse.class);
  }

  /** One sub in detail; {@code NOT_FOUND} if there is no such machine. */
  public ShowSubResponse showSub(String hostname) {
    return rpc.call(DominatorMethods.SHOW_SUB, new ShowSubRequest(hostname), ShowSubResponse.class);
  }

  public DisableUpdatesResponse disableUpdates(String reason) {
    return rpc.call(
        DominatorMethods.DISABLE_UPDATES,
        new DisableUpdatesRequest(reason),
        DisableUpdatesResponse.class);
  }

  public EnableUpdatesResponse enableUpdates(String reason) {
    return rpc.call(
        DominatorMethods.ENABLE_UPDATES,
        new EnableUpdatesRequest(reason),
        EnableUpdatesResponse.class);
  }

  public ClearSafetyShutoffResponse clearSafetyShutoff(String hostname) {
    return rpc.call(
        DominatorMethods.CLEAR_SAFETY_SHUTOFF,
        new ClearSafetyShutoffRequest(hostname),
        ClearSafetyShutoffResponse.class);
  }
}
