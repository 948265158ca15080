package dominion.imageserver.rpc;

import dominion.core.image.ImageName;
import dominion.imageserver.db.ImageDatabase;
import dominion.imageserver.db.ImageLayout.Kind;
import dominion.proto.imageserver.CheckImageRequest;
import dominion.proto.imageserver.CheckImageResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.util.Optional;

/** ImageServer.CheckImage. */
public final class CheckImageHandler
    implements Handlers.Unary<CheckImageRequest, CheckImageResponse> {
  private final ImageDatabase db;

  public CheckImageHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public CheckImageResponse handle(CheckImageRequest request, CallContext call) {
    Optional<Kind> kind = db.kindOf(ImageName.of(request.name()).value());
    return new CheckImageResponse(
        kind.orElse(null) == Kind.IMAGE, kind.orElse(null) == Kind.DELETED);
  }
}
