package dominion.imageserver;

import dominion.core.objectstore.DiskObjectStore;
import dominion.imageserver.db.ImageDatabase;
import dominion.imageserver.db.ImageLayout;
import dominion.imageserver.http.MetricsPage;
import dominion.imageserver.http.StatusPage;
import dominion.imageserver.rpc.AddImageHandler;
import dominion.imageserver.rpc.AddObjectsHandler;
import dominion.imageserver.rpc.ChangeImageExpirationHandler;
import dominion.imageserver.rpc.CheckImageHandler;
import dominion.imageserver.rpc.CheckObjectsHandler;
import dominion.imageserver.rpc.DeleteImageHandler;
import dominion.imageserver.rpc.FindLatestImageHandler;
import dominion.imageserver.rpc.GetImageHandler;
import dominion.imageserver.rpc.GetObjectsHandler;
import dominion.imageserver.rpc.ListDirectoriesHandler;
import dominion.imageserver.rpc.ListImagesHandler;
import dominion.imageserver.rpc.MakeDirectoryHandler;
import dominion.proto.http.PageResponse;
import dominion.proto.imageserver.ChangeImageExpirationRequest;
import dominion.proto.imageserver.CheckImageRequest;
import dominion.proto.imageserver.CheckObjectsRequest;
import dominion.proto.imageserver.DeleteImageRequest;
import dominion.proto.imageserver.FindLatestImageRequest;
import dominion.proto.imageserver.GetImageRequest;
import dominion.proto.imageserver.GetObjectsRequest;
import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.imageserver.ListDirectoriesRequest;
import dominion.proto.imageserver.ListImagesRequest;
import dominion.proto.imageserver.MakeDirectoryRequest;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running imageserver: the stores under its data directory and the RPC server in front of them.
 * Built by {@link ImageserverMain}, and by tests on port 0.
 */
public final class Imageserver implements AutoCloseable {
  /**
   * @param dataDir where objects and images live (created if missing)
   * @param bindAddress the address to listen on
   * @param port the port (0 picks a free one)
   */
  public record Config(Path dataDir, String bindAddress, int port) {}

  private final DiskObjectStore objects;
  private final ImageDatabase db;
  private final ExecutorService workers;
  private final RpcServer server;

  /** Opens the stores (cleaning up after a crash) and registers every method and page. */
  public Imageserver(Config config, ServerSecurity security, Clock clock) throws IOException {
    ImageLayout layout = new ImageLayout(config.dataDir());
    layout.prepare();
    this.objects = new DiskObjectStore(layout.objectsDir());
    this.db = new ImageDatabase(layout, objects, clock);
    this.workers = Executors.newVirtualThreadPerTaskExecutor();
    this.server =
        new RpcServer(
            new RpcServer.Config(config.bindAddress(), config.port(), "imageserver"),
            security,
            workers);
    server
        .upload(ImageServerMethods.ADD_IMAGE, new AddImageHandler(db))
        .download(
            ImageServerMethods.GET_IMAGE,
            GetImageRequest.class,
            ImageServerMethods.IMAGE_CONTENT_TYPE,
            new GetImageHandler(db))
        .unary(ImageServerMethods.LIST_IMAGES, ListImagesRequest.class, new ListImagesHandler(db))
        .unary(ImageServerMethods.CHECK_IMAGE, CheckImageRequest.class, new CheckImageHandler(db))
        .unary(
            ImageServerMethods.DELETE_IMAGE, DeleteImageRequest.class, new DeleteImageHandler(db))
        .unary(
            ImageServerMethods.MAKE_DIRECTORY,
            MakeDirectoryRequest.class,
            new MakeDirectoryHandler(db))
        .unary(
            ImageServerMethods.LIST_DIRECTORIES,
            ListDirectoriesRequest.class,
            new ListDirectoriesHandler(db))
        .unary(
            ImageServerMethods.FIND_LATEST_IMAGE,
            FindLatestImageRequest.class,
            new FindLatestImageHandler(db))
        .unary(
            ImageServerMethods.CHANGE_IMAGE_EXPIRATION,
            ChangeImageExpirationRequest.class,
            new ChangeImageExpirationHandler(db))
        .upload(ImageServerMethods.ADD_OBJECTS, new AddObjectsHandler(objects))
        .download(
            ImageServerMethods.GET_OBJECTS,
            GetObjectsRequest.class,
            ImageServerMethods.OBJECTS_CONTENT_TYPE,
            new GetObjectsHandler(objects))
        .unary(
            ImageServerMethods.CHECK_OBJECTS,
            CheckObjectsRequest.class,
            new CheckObjectsHandler(objects))
        .page("/", new StatusPage(db, objects, security, clock))
        .page("/metrics", new MetricsPage(db, objects, server.stats(), security))
        .page("/healthz", query -> PageResponse.text("ok\n"));
  }

  /** Starts serving; an IOException names an address that cannot be listened on. */
  public Imageserver start() throws InterruptedException, IOException {
    server.start();
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  public DiskObjectStore objects() {
    return objects;
  }

  public ImageDatabase database() {
    return db;
  }

  @Override
  public void close() {
    server.close();
    workers.shutdown();
  }
}
