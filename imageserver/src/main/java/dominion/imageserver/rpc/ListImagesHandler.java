package dominion.imageserver.rpc;

import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.ListImagesRequest;
import dominion.proto.imageserver.ListImagesResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;

/** ImageServer.ListImages. */
public final class ListImagesHandler
    implements Handlers.Unary<ListImagesRequest, ListImagesResponse> {
  private final ImageDatabase db;

  public ListImagesHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public ListImagesResponse handle(ListImagesRequest request, CallContext call) {
    return new ListImagesResponse(db.listImages(request.directory()));
  }
}
