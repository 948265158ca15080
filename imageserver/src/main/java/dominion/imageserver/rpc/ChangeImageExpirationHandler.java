package dominion.imageserver.rpc;

import dominion.core.image.ImageName;
import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.ChangeImageExpirationRequest;
import dominion.proto.imageserver.ChangeImageExpirationResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import java.io.IOException;

/** ImageServer.ChangeImageExpiration: rewrites the image file's metadata atomically. */
public final class ChangeImageExpirationHandler
    implements Handlers.Unary<ChangeImageExpirationRequest, ChangeImageExpirationResponse> {
  private final ImageDatabase db;

  public ChangeImageExpirationHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public ChangeImageExpirationResponse handle(
      ChangeImageExpirationRequest request, CallContext call) throws IOException {
    ImageName name = ImageName.of(request.name());
    return new ChangeImageExpirationResponse(
        name.value(), db.changeExpiration(name, request.expiresAtMillis()));
  }
}
