package dominion.dominator.rpc;

import dominion.dominator.herd.Controls;
import dominion.proto.dominator.DisableUpdatesRequest;
import dominion.proto.dominator.DisableUpdatesResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;

/** {@code Dominator.DisableUpdates}: holds every change, fleet-wide. */
public final class DisableUpdatesHandler
    implements Handlers.Unary<DisableUpdatesRequest, DisableUpdatesResponse> {
  private final Controls controls;

  public DisableUpdatesHandler(Controls controls) {
    this.controls = controls;
  }

  @Override
  public DisableUpdatesResponse handle(DisableUpdatesRequest request, CallContext call)
      throws Exception {
    return new DisableUpdatesResponse(UpdatesSwitch.flip(controls, true, request.reason(), call));
  }
}
