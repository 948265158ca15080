package dominion.imageserver.rpc;

import dominion.core.image.ImageName;
import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.FindLatestImageRequest;
import dominion.proto.imageserver.FindLatestImageResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.io.IOException;

/** ImageServer.FindLatestImage: newest createdOn directly in the directory, then greatest name. */
public final class FindLatestImageHandler
    implements Handlers.Unary<FindLatestImageRequest, FindLatestImageResponse> {
  private final ImageDatabase db;

  public FindLatestImageHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public FindLatestImageResponse handle(FindLatestImageRequest request, CallContext call)
      throws IOException {
    return new FindLatestImageResponse(
        db.findLatest(request.directory()).map(ImageName::value).orElse(null));
  }
}
