package dominion.imageserver.rpc;

import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.MakeDirectoryRequest;
import dominion.proto.imageserver.MakeDirectoryResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.io.IOException;

/** ImageServer.MakeDirectory. */
public final class MakeDirectoryHandler
    implements Handlers.Unary<MakeDirectoryRequest, MakeDirectoryResponse> {
  private final ImageDatabase db;

  public MakeDirectoryHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public MakeDirectoryResponse handle(MakeDirectoryRequest request, CallContext call)
      throws IOException {
    return new MakeDirectoryResponse(db.makeDirectory(request.name()));
  }
}
