package dominion.dominator.rpc;

import dominion.dominator.herd.Controls;
import dominion.proto.dominator.EnableUpdatesRequest;
import dominion.proto.dominator.EnableUpdatesResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;

/** {@code Dominator.EnableUpdates}: lets changes flow again. */
public final class EnableUpdatesHandler
    implements Handlers.Unary<EnableUpdatesRequest, EnableUpdatesResponse> {
  private final Controls controls;

  public EnableUpdatesHandler(Controls controls) {
    this.controls = controls;
  }

  @Override
  public EnableUpdatesResponse handle(EnableUpdatesRequest request, CallContext call)
      throws Exception {
    return new EnableUpdatesResponse(UpdatesSwitch.flip(controls, false, request.reason(), call));
  }
}
