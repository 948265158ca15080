package dominion.imageserver.rpc;

import dominion.core.image.ImageName;
import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.DeleteImageRequest;
import dominion.proto.imageserver.DeleteImageResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.io.IOException;

/** ImageServer.DeleteImage: leaves a tombstone. */
public final class DeleteImageHandler
    implements Handlers.Unary<DeleteImageRequest, DeleteImageResponse> {
  private final ImageDatabase db;

  public DeleteImageHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public DeleteImageResponse handle(DeleteImageRequest request, CallContext call)
      throws IOException {
    ImageName name = ImageName.of(request.name());
    db.delete(name, call.user());
    return new DeleteImageResponse(name.value());
  }
}
