package dominion.proto.imageserver;

import dominion.core.image.Image;
import dominion.core.image.ImageCodec;
import dominion.core.image.ImageName;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Typed calls to an imageserver's {@code ImageServer.*} methods. Thread-safe. Every failure is an
 * {@link RpcException} carrying the server's code.
 */
public final class ImageServerClient {
  private final RpcClient rpc;

  public ImageServerClient(RpcClient rpc) {
    this.rpc = rpc;
  }

  /** {@code host:port} of the server, for messages. */
  public String target() {
    return rpc.target();
  }

  /** Stores {@code image} as {@code name}. Upload its objects first (see {@link ObjectClient}). */
  public AddImageResponse addImage(ImageName name, Image image) {
    byte[] encoded = ImageCodec.encode(image);
    return rpc.upload(
        ImageServerMethods.ADD_IMAGE,
        new AddImageRequest(name.value()).toParams(),
        () -> new ByteArrayInputStream(encoded),
        AddImageResponse.class);
  }

  /**
   * Fetches and decodes an image.
   *
   * @throws RpcException {@code NOT_FOUND} if there is no such image
   */
  public Image getImage(ImageName name) {
    try (InputStream in =
        new BufferedInputStream(
            rpc.download(ImageServerMethods.GET_IMAGE, new GetImageRequest(name.value())),
            1 << 16)) {
      return ImageCodec.read(in);
    } catch (IOException e) {
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          "get image " + name + " from " + rpc.target() + ": " + e.getMessage(),
          e);
    }
  }

  /** Every image's name, in string order. */
  public List<ImageName> listImages() {
    return listImages(null);
  }

  /** The names of the images below {@code directory} (null for all), in string order. */
  public List<ImageName> listImages(String directory) {
    return rpc
        .call(
            ImageServerMethods.LIST_IMAGES,
            new ListImagesRequest(directory),
            ListImagesResponse.class)
        .names()
        .stream()
        .map(ImageName::of)
        .toList();
  }

  /** Whether an image exists (and whether its name belonged to a deleted one). */
  public CheckImageResponse checkImage(ImageName name) {
    return rpc.call(
        ImageServerMethods.CHECK_IMAGE,
        new CheckImageRequest(name.value()),
        CheckImageResponse.class);
  }

  /** Deletes an image, leaving its name unusable. */
  public void deleteImage(ImageName name) {
    rpc.call(
        ImageServerMethods.DELETE_IMAGE,
        new DeleteImageRequest(name.value()),
        DeleteImageResponse.class);
  }

  /** Makes an image directory (its parent must exist). */
  public void makeDirectory(String name) {
    rpc.call(
        ImageServerMethods.MAKE_DIRECTORY,
        new MakeDirectoryRequest(name),
        MakeDirectoryResponse.class);
  }

  /** Every image directory's name, in string order. */
  public List<String> listDirectories() {
    return rpc.call(
            ImageServerMethods.LIST_DIRECTORIES,
            new ListDirectoriesRequest(null),
            ListDirectoriesResponse.class)
        .directories();
  }

  /**
   * The newest image directly in {@code directory} (see {@link FindLatestImageRequest}), or empty
   * when it holds none.
   *
   * @throws RpcException {@code NOT_FOUND} if the directory does not exist
   */
  public Optional<ImageName> findLatestImage(String directory) {
    String name =
        rpc.call(
                ImageServerMethods.FIND_LATEST_IMAGE,
                new FindLatestImageRequest(directory),
                FindLatestImageResponse.class)
            .name();
    return Optional.ofNullable(name).map(ImageName::of);
  }

  /** Sets when an image may be deleted automatically (0: never). */
  public void changeImageExpiration(ImageName name, long expiresAtMillis) {
    rpc.call(
        ImageServerMethods.CHANGE_IMAGE_EXPIRATION,
        new ChangeImageExpirationRequest(name.value(), expiresAtMillis),
        ChangeImageExpirationResponse.class);
  }
}
