package dominion.subd.rpc;

import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.subd.UpdateRequest;
import dominion.proto.subd.UpdateResponse;
import dominion.subd.update.Updater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Subd.Update: checks the request and starts applying it in the background. */
public final class UpdateHandler implements Handlers.Unary<UpdateRequest, UpdateResponse> {
  private static final Logger log = LoggerFactory.getLogger(UpdateHandler.class);

  private final Updater updater;

  public UpdateHandler(Updater updater) {
    this.updater = updater;
  }

  @Override
  public UpdateResponse handle(UpdateRequest request, CallContext call) {
    log.info("update to {} requested by {}", request.imageName(), call.who());
    updater.start(request);
    return new UpdateResponse();
  }
}
