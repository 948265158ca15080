package dominion.dominator.rpc;

import dominion.dominator.herd.Controls;
import dominion.proto.dominator.UpdatesControl;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.RpcException;

/** The shared part of DisableUpdates and EnableUpdates. */
final class UpdatesSwitch {
  private UpdatesSwitch() {}

  static UpdatesControl flip(Controls controls, boolean disable, String reason, CallContext call)
      throws java.io.IOException {
    if (reason == null || reason.isBlank()) {
      throw RpcException.invalid(
          (disable ? "disable" : "enable")
              + " updates: a reason is required (it is shown on the status page)");
    }
    return controls.setUpdatesDisabled(disable, reason.strip(), call.who());
  }
}
