package dominion.dominator.rpc;

import dominion.dominator.herd.Herd;
import dominion.dominator.herd.SubView;
import dominion.proto.dominator.ClearSafetyShutoffRequest;
import dominion.proto.dominator.ClearSafetyShutoffResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code Dominator.ClearSafetyShutoff}: lets one sub's held unsafe update through. */
public final class ClearSafetyShutoffHandler
    implements Handlers.Unary<ClearSafetyShutoffRequest, ClearSafetyShutoffResponse> {
  private static final Logger log = LoggerFactory.getLogger(ClearSafetyShutoffHandler.class);

  private final Herd herd;

  public ClearSafetyShutoffHandler(Herd herd) {
    this.herd = herd;
  }

  @Override
  public ClearSafetyShutoffResponse handle(ClearSafetyShutoffRequest request, CallContext call) {
    SubView v = herd.view(request.hostname());
    if (v == null) {
      throw RpcException.notFound(
          "clear safety shutoff of " + request.hostname() + ": no such machine in the MDB");
    }
    if (!v.safetyHeld() || v.info().requiredImage() == null) {
      throw RpcException.failedPrecondition(
          "clear safety shutoff of "
              + request.hostname()
              + ": no unsafe update is held (state "
              + v.info().state()
              + ")");
    }
    String image = v.info().requiredImage();
    herd.controls().clearSafety(request.hostname(), image);
    log.warn(
        "safety shutoff of {} cleared by {} for image {}", request.hostname(), call.who(), image);
    return new ClearSafetyShutoffResponse(image);
  }
}
