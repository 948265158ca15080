package dominion.proto.imageserver;

/**
 * The names of the imageserver's RPCs, as certificates grant them ({@code ImageServer.*}, {@code
 * ObjectServer.GetObjects}) and as they appear in URLs ({@code POST /rpc/<name>}).
 */
public final class ImageServerMethods {
  /**
   * Upload: query {@link AddImageRequest}, body an {@link dominion.core.image.ImageCodec} image.
   */
  public static final String ADD_IMAGE = "ImageServer.AddImage";

  /** Download: {@link GetImageRequest} in, the image's {@code ImageCodec} bytes out. */
  public static final String GET_IMAGE = "ImageServer.GetImage";

  public static final String LIST_IMAGES = "ImageServer.ListImages";
  public static final String CHECK_IMAGE = "ImageServer.CheckImage";
  public static final String DELETE_IMAGE = "ImageServer.DeleteImage";
  public static final String MAKE_DIRECTORY = "ImageServer.MakeDirectory";
  public static final String LIST_DIRECTORIES = "ImageServer.ListDirectories";
  public static final String FIND_LATEST_IMAGE = "ImageServer.FindLatestImage";
  public static final String CHANGE_IMAGE_EXPIRATION = "ImageServer.ChangeImageExpiration";

  /** Upload: a stream of framed objects (see {@link ObjectFraming}), {@link AddObjectsResponse}. */
  public static final String ADD_OBJECTS = "ObjectServer.AddObjects";

  /**
   * Download: {@link GetObjectsRequest} in, length-prefixed objects out ({@link ObjectFraming}).
   */
  public static final String GET_OBJECTS = "ObjectServer.GetObjects";

  public static final String CHECK_OBJECTS = "ObjectServer.CheckObjects";

  /** Content type of {@link #GET_IMAGE}'s response. */
  public static final String IMAGE_CONTENT_TYPE = "application/x-dominion-image";

  /** Content type of {@link #GET_OBJECTS}'s response and {@link #ADD_OBJECTS}'s body. */
  public static final String OBJECTS_CONTENT_TYPE = "application/x-dominion-objects";

  private ImageServerMethods() {}
}
