package dominion.imageserver.rpc;

import dominion.core.image.Image;
import dominion.core.image.ImageCodec;
import dominion.core.image.ImageName;
import dominion.imageserver.db.ImageDatabase;
import dominion.proto.imageserver.AddImageRequest;
import dominion.proto.imageserver.AddImageResponse;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;
import java.io.IOException;
import java.io.InputStream;

/** ImageServer.AddImage: the name in the query, the ImageCodec bytes as the body. */
public final class AddImageHandler implements Handlers.Upload<AddImageResponse> {
  /** An encoded image larger than this is refused (a 1M-file root is about 70 MiB). */
  static final int MAX_IMAGE_BYTES = 1 << 30;

  private final ImageDatabase db;

  public AddImageHandler(ImageDatabase db) {
    this.db = db;
  }

  @Override
  public AddImageResponse handle(InputStream body, CallContext call) throws IOException {
    AddImageRequest request = AddImageRequest.fromParams(call.params());
    if (request.name() == null) {
      throw RpcException.invalid("add image: the name parameter is missing");
    }
    ImageName name = ImageName.of(request.name());
    byte[] bytes = body.readNBytes(MAX_IMAGE_BYTES + 1);
    if (bytes.length > MAX_IMAGE_BYTES) {
      throw RpcException.invalid(
          "add image " + name + ": larger than " + (MAX_IMAGE_BYTES >> 20) + " MiB");
    }
    Image image;
    try {
      image = ImageCodec.decode(bytes);
    } catch (IOException e) {
      throw RpcException.invalid("add image " + name + ": " + e.getMessage());
    }
    ImageDatabase.Added added = db.add(name, image, call.user());
    return new AddImageResponse(added.name().value(), added.createdOnMillis(), added.entries());
  }
}
