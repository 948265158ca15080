package dominion.dominator.rpc;

import dominion.proto.dominator.ListSubsRequest;
import dominion.proto.dominator.ListSubsResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;

/** {@code Dominator.ListSubs}. */
public final class ListSubsHandler implements Handlers.Unary<ListSubsRequest, ListSubsResponse> {
  private final Reports reports;

  public ListSubsHandler(Reports reports) {
    this.reports = reports;
  }

  @Override
  public ListSubsResponse handle(ListSubsRequest request, CallContext call) {
    return reports.list(request.status());
  }
}
