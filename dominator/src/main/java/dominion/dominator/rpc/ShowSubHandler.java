package dominion.dominator.rpc;

import dominion.proto.dominator.ShowSubRequest;
import dominion.proto.dominator.ShowSubResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;

/** {@code Dominator.ShowSub}. */
public final class ShowSubHandler implements Handlers.Unary<ShowSubRequest, ShowSubResponse> {
  private final Reports reports;

  public ShowSubHandler(Reports reports) {
    this.reports = reports;
  }

  @Override
  public ShowSubResponse handle(ShowSubRequest request, CallContext call) {
    ShowSubResponse r = reports.show(request.hostname());
    if (r == null) {
      throw RpcException.notFound(
          "show sub "
              + request.hostname()
              + ": no such machine in the MDB; see 'domtool list-subs'");
    }
    return r;
  }
}
