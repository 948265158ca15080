package dominion.imageserver.rpc;

import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.ListDirectoriesRequest;
import dominion.proto.imageserver.ListDirectoriesResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;

/** ImageServer.ListDirectories. */
public final class ListDirectoriesHandler
    implements Handlers.Unary<ListDirectoriesRequest, ListDirectoriesResponse> {
  private final ImageDatabase db;

  public ListDirectoriesHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public ListDirectoriesResponse handle(ListDirectoriesRequest request, CallContext call) {
    return new ListDirectoriesResponse(db.listDirectories(request.under()));
  }
}
