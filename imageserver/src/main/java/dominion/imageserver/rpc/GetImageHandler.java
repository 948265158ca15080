package dominion.imageserver.rpc;

import dominion.core.image.ImageName;
import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.GetImageRequest;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.io.InputStream;
import java.io.OutputStream;

/** ImageServer.GetImage: streams the stored ImageCodec bytes as they are on disk. */
public final class GetImageHandler implements Handlers.Download<GetImageRequest> {
  private final ImageDatabase db;

  public GetImageHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public void handle(GetImageRequest request, CallContext call, OutputStream out) throws Exception {
    try (InputStream in = db.open(ImageName.of(request.name()))) {
      in.transferTo(out);
    }
  }
}
