package dominion.dominator;

import dominion.dominator.herd.Controls;
import dominion.dominator.herd.Herd;
import dominion.dominator.herd.HerdConfig;
import dominion.dominator.herd.ImageCache;
import dominion.dominator.herd.RpcSubApi;
import dominion.dominator.http.MetricsPage;
import dominion.dominator.http.StatusPage;
import dominion.dominator.rpc.ClearSafetyShutoffHandler;
import dominion.dominator.rpc.DisableUpdatesHandler;
import dominion.dominator.rpc.EnableUpdatesHandler;
import dominion.dominator.rpc.ListSubsHandler;
import dominion.dominator.rpc.Reports;
import dominion.dominator.rpc.ShowSubHandler;
import dominion.mdb.MdbCodec;
import dominion.mdb.MdbWatcher;
import dominion.proto.dominator.ClearSafetyShutoffRequest;
import dominion.proto.dominator.DisableUpdatesRequest;
import dominion.proto.dominator.DominatorMethods;
import dominion.proto.dominator.EnableUpdatesRequest;
import dominion.proto.dominator.ListSubsRequest;
import dominion.proto.dominator.ShowSubRequest;
import dominion.proto.http.PageResponse;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A running dominator: the MDB watcher, the herd of subs, and the RPC server with the status pages.
 * Built by {@link DominatorMain}, and by tests on port 0.
 */
public final class Dominator implements AutoCloseable {
  /**
   * @param mdbFile the MDB file to follow
   * @param imageServerHost the imageserver's host (for GetImage; subds fetch from it too)
   * @param imageServerPort its port
   * @param stateDir where the updates switch is kept; null = in memory only
   * @param bindAddress the address to listen on
   * @param port the port (0 picks a free one)
   * @param herd the herd's settings
   * @param mdbInterval how often the MDB file is looked at
   */
  public record Config(
      Path mdbFile,
      String imageServerHost,
      int imageServerPort,
      Path stateDir,
      String bindAddress,
      int port,
      HerdConfig herd,
      Duration mdbInterval) {}

  /**
   * Limits on calls to subds: fetch, update and cleanup are answered at once (the work goes on in
   * the background); a poll brings at most one tree, which even for a big root streams in seconds.
   */
  static final RpcClient.Limits SUB_CALLS =
      new RpcClient.Limits(Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(30));

  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ImageCache images;
  private final Herd herd;
  private final MdbWatcher watcher;
  private final RpcServer server;

  /**
   * Wires everything; {@link #start()} starts it.
   *
   * @param security how the RPC server admits callers
   * @param clientTls the TLS context for calls to subds and the imageserver; null = plain HTTP
   */
  public Dominator(Config config, ServerSecurity security, SSLContext clientTls, Clock clock)
      throws IOException {
    boolean tls = clientTls != null;
    // One HTTP client for every sub and the imageserver: one connection pool, one TLS context.
    HttpClient http = RpcClients.newHttpClient(clientTls, Duration.ofSeconds(5), workers);
    ImageServerClient imageServer =
        new ImageServerClient(
            new RpcClient(
                http,
                tls,
                config.imageServerHost(),
                config.imageServerPort(),
                new RpcClient.Limits(
                    Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofSeconds(60))));
    this.images = new ImageCache(imageServer::getImage, config.herd().imageRetry(), clock);
    Controls controls =
        new Controls(
            config.stateDir(),
            config.herd().maxUpdatesInFlight(),
            config.herd().maxHighImpactUpdatesInFlight(),
            clock);
    this.herd =
        new Herd(config.herd(), images, controls, RpcSubApi.factory(http, tls, SUB_CALLS), clock);
    this.watcher =
        new MdbWatcher(
            new MdbWatcher.Config(config.mdbFile(), config.mdbInterval()), new MdbCodec(), clock);
    watcher.addListener(herd::setMdb);
    this.server =
        new RpcServer(
            new RpcServer.Config(config.bindAddress(), config.port(), "dominator"),
            security,
            workers);
    Reports reports = new Reports(herd, watcher::status);
    StatusPage status = new StatusPage(reports, security, clock);
    server
        .unary(DominatorMethods.LIST_SUBS, ListSubsRequest.class, new ListSubsHandler(reports))
        .unary(DominatorMethods.SHOW_SUB, ShowSubRequest.class, new ShowSubHandler(reports))
        .unary(
            DominatorMethods.DISABLE_UPDATES,
            DisableUpdatesRequest.class,
            new DisableUpdatesHandler(controls))
        .unary(
            DominatorMethods.ENABLE_UPDATES,
            EnableUpdatesRequest.class,
            new EnableUpdatesHandler(controls))
        .unary(
            DominatorMethods.CLEAR_SAFETY_SHUTOFF,
            ClearSafetyShutoffRequest.class,
            new ClearSafetyShutoffHandler(herd))
        .page("/", status)
        .page("/json", status.json())
        .page("/metrics", new MetricsPage(herd, watcher::status, server, images::loadedCount))
        .page("/healthz", q -> PageResponse.text("ok\n"));
  }

  /** Reads the MDB, starts polling its subs, and starts serving. */
  public Dominator start() throws InterruptedException, IOException {
    watcher.start();
    server.start();
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  public Herd herd() {
    return herd;
  }

  @Override
  public void close() {
    watcher.close();
    server.close();
    herd.close();
    workers.shutdownNow();
  }
}
