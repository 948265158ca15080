package dominion.subd;

import dominion.core.image.Trigger;
import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.StoreFlush;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.GetConfigurationRequest;
import dominion.proto.subd.GetFilesRequest;
import dominion.proto.subd.PollRequest;
import dominion.proto.subd.SetConfigurationRequest;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdMethods;
import dominion.proto.subd.SubdStatus;
import dominion.proto.subd.UpdateRequest;
import dominion.subd.fetch.Fetcher;
import dominion.subd.fetch.ObjectSource;
import dominion.subd.fetch.RpcObjectSource;
import dominion.subd.http.MetricsPage;
import dominion.subd.http.StatusPage;
import dominion.subd.limit.NetworkCapacity;
import dominion.subd.limit.ScanLimits;
import dominion.subd.rehearsal.Rehearsal;
import dominion.subd.rpc.CleanupHandler;
import dominion.subd.rpc.FetchHandler;
import dominion.subd.rpc.GetConfigurationHandler;
import dominion.subd.rpc.GetFilesHandler;
import dominion.subd.rpc.PollHandler;
import dominion.subd.rpc.SetConfigurationHandler;
import dominion.subd.rpc.UpdateHandler;
import dominion.subd.scan.ChangeWatcher;
import dominion.subd.scan.HashCache;
import dominion.subd.scan.LimitedHashers;
import dominion.subd.scan.Rehasher;
import dominion.subd.scan.ScanLoop;
import dominion.subd.scan.TreeState;
import dominion.subd.state.StateDir;
import dominion.subd.state.VerifiedObjects;
import dominion.subd.sys.LinuxCalls;
import dominion.subd.update.InodeWriter;
import dominion.subd.update.RootFs;
import dominion.subd.update.ServiceCommand;
import dominion.subd.update.UpdateResult;
import dominion.subd.update.Updater;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subd: the scanner, fetcher and updater around a root, served on one port. Built by {@link
 * SubdMain} from flags, or by tests against a temporary root.
 */
public final class Subd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Subd.class);
  // Fetched objects remembered as verified (about 200 bytes each: at most 10 MB).
  private static final int VERIFIED_OBJECTS = 50_000;

  /**
   * @param rootDir the managed root
   * @param stateDir subd's own directory (best on the root's file system)
   * @param bind address to listen on
   * @param port port (0 = any free one)
   * @param limits the starting limits and exclusions (without the state directory)
   * @param serviceCommand the service manager command line (see {@link ServiceCommand})
   * @param rebootCommand the command line that reboots the host
   * @param minScanInterval least time between metadata passes
   * @param periodicScan time between metadata passes while change notification works
   * @param minFullPass least time for one full re-hash pass
   * @param diskBytesPerSecond the disk's bandwidth at 100%
   * @param networkBytesPerSecond the network's bandwidth at 100%, or 0 to detect
   * @param syncFiles fsync each file before renaming it into place
   * @param rehearsal the fetches and updates rehearsed after the first scan (see {@link Rehearsal})
   */
  public record Config(
      Path rootDir,
      Path stateDir,
      String bind,
      int port,
      SubdConfig limits,
      String serviceCommand,
      String rebootCommand,
      Duration minScanInterval,
      Duration periodicScan,
      Duration minFullPass,
      double diskBytesPerSecond,
      long networkBytesPerSecond,
      boolean syncFiles,
      Rehearsal.Config rehearsal) {}

  private final Config config;
  private final Path root;
  private final StateDir state;
  private final DiskObjectStore cache;
  private final Settings settings;
  private final TreeState tree;
  private final HashCache hashCache;
  private final ScanLoop scanLoop;
  private final ChangeWatcher watcher;
  private final Rehasher rehasher;
  private final Fetcher fetcher;
  private final Updater updater;
  private final RpcServer server;
  private final Rehearsal rehearsal;
  private final Thread rehearsalThread;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final long startMillis = System.currentTimeMillis();
  private volatile FileStore rootStore;

  /**
   * @param clientTls for fetching from imageservers over TLS, or null for plain HTTP
   */
  public Subd(Config config, ServerSecurity security, SSLContext clientTls) throws IOException {
    this.config = config;
    this.root = config.rootDir().toRealPath();
    Files.createDirectories(config.stateDir());
    Path stateReal = config.stateDir().toRealPath();
    this.state = new StateDir(stateReal);
    this.cache = new DiskObjectStore(state.objects());
    String stateInRoot =
        stateReal.startsWith(root) && !stateReal.equals(root)
            ? "/" + root.relativize(stateReal)
            : null;
    this.settings = new Settings(config.limits(), stateInRoot);
    ScanLimits limits =
        new ScanLimits(
            () -> settings.config().cpuPercent(),
            () -> settings.config().scanSpeedPercent(),
            config.diskBytesPerSecond());
    this.hashCache = new HashCache(LimitedHashers.reading(limits));
    this.tree = new TreeState(System.currentTimeMillis());
    RootFs rootFs = new RootFs(root);
    ServiceCommand services =
        new ServiceCommand(
            new ServiceCommand.Config(
                config.serviceCommand(), config.rebootCommand(), Duration.ofMinutes(2)));
    ScanLoop[] loopRef = new ScanLoop[1];
    VerifiedObjects verified = new VerifiedObjects(VERIFIED_OBJECTS);
    this.updater =
        new Updater(
            rootFs,
            cache,
            new InodeWriter(cache, verified, config.syncFiles()),
            state,
            services,
            hashCache,
            workers,
            () -> loopRef[0].wake());
    this.watcher =
        new ChangeWatcher(
            root, settings::exclusions, () -> loopRef[0].changed(), Duration.ofMillis(200));
    this.scanLoop =
        new ScanLoop(
            new ScanLoop.Config(root, stateReal, config.minScanInterval(), config.periodicScan()),
            settings,
            hashCache,
            tree,
            limits,
            updater::epoch,
            watcher);
    loopRef[0] = scanLoop;
    this.rehasher =
        new Rehasher(
            new Rehasher.Config(root, config.minFullPass()),
            hashCache,
            tree,
            limits,
            scanLoop::wake);
    long network =
        config.networkBytesPerSecond() > 0
            ? config.networkBytesPerSecond()
            : NetworkCapacity.detect(Path.of("/sys/class/net"));
    ObjectSource source =
        new RpcObjectSource(
            RpcClients.newHttpClient(clientTls, Duration.ofSeconds(10), workers),
            clientTls != null,
            Duration.ofMinutes(10));
    this.fetcher =
        new Fetcher(
            Fetcher.Config.DEFAULT,
            cache,
            cacheFlush(state.objects(), config.syncFiles()),
            verified,
            source,
            percent ->
                rate(percent == 0 ? settings.config().networkSpeedPercent() : percent, network),
            workers,
            tree::bump);
    this.server =
        new RpcServer(new RpcServer.Config(config.bind(), config.port(), "subd"), security, workers)
            // Its fetches decrypt in heap buffers: so do its servers (see HeapCumulator).
            .decryptInHeapBuffers();
    this.rehearsal =
        new Rehearsal(
            config.rehearsal(),
            stateReal.resolve("rehearsal"),
            clientTls != null,
            workers,
            () -> fetcher.inProgress() || updater.inProgress());
    this.rehearsalThread =
        Thread.ofPlatform().name("subd-rehearsal").daemon().unstarted(this::rehearseAfterScan);
    register(rootFs);
  }

  // syncfs where it works (it is tried once here); else null: an fsync per object. Without
  // --no-fsync's durability, nothing: objects fetched before a power cut are not trusted after it
  // anyway (VerifiedObjects lives in memory), so a damaged one is found when an update uses it.
  private static StoreFlush cacheFlush(Path objects, boolean durable) {
    if (!durable) {
      return () -> {};
    }
    try {
      LinuxCalls.syncfs(objects);
      return () -> LinuxCalls.syncfs(objects);
    } catch (IOException | RuntimeException | LinkageError e) {
      log.warn("syncfs does not work here ({}); fetches fsync each object", e.toString());
      return null;
    }
  }

  private static double rate(int percent, long capacity) {
    return percent >= 100 ? Double.POSITIVE_INFINITY : capacity * (percent / 100.0);
  }

  private void register(RootFs rootFs) {
    server.download(
        SubdMethods.POLL,
        PollRequest.class,
        SubdMethods.POLL_CONTENT_TYPE,
        new PollHandler(tree, cache, this::status, this::lastTriggers));
    server.unary(SubdMethods.FETCH, FetchRequest.class, new FetchHandler(fetcher));
    server.unary(SubdMethods.UPDATE, UpdateRequest.class, new UpdateHandler(updater));
    server.unary(SubdMethods.CLEANUP, CleanupRequest.class, new CleanupHandler(cache, tree::bump));
    server.download(
        SubdMethods.GET_FILES,
        GetFilesRequest.class,
        SubdMethods.FILES_CONTENT_TYPE,
        new GetFilesHandler(rootFs));
    server.unary(
        SubdMethods.GET_CONFIGURATION,
        GetConfigurationRequest.class,
        new GetConfigurationHandler(settings));
    server.unary(
        SubdMethods.SET_CONFIGURATION,
        SetConfigurationRequest.class,
        new SetConfigurationHandler(settings));
    StatusPage status =
        new StatusPage(
            this::status, () -> root, server.security(), scanLoop::lastError, rehearsal::outcome);
    server.page("/", status);
    server.page(
        "/metrics",
        new MetricsPage(
            this::status,
            server::stats,
            server.security(),
            hashCache,
            rehasher,
            fetcher,
            updater,
            rehearsal::outcome));
    server.page("/healthz", q -> PageResponse.text("ok\n"));
  }

  /**
   * Finishes an interrupted update and removes what an interrupted rehearsal left, then starts
   * scanning and serving (and, after the first scan, rehearsing).
   */
  public Subd start() throws IOException, InterruptedException {
    updater.recover();
    rehearsal.removeLeftovers();
    scanLoop.start();
    watcher.start();
    rehasher.start();
    server.start();
    log.info(
        "subd serving {} on {}:{} (state in {})", root, config.bind(), server.port(), state.dir());
    if (config.rehearsal().rounds() > 0) {
      rehearsalThread.start();
    }
    return this;
  }

  // After the first scan, which has the CPU to itself and makes the first poll's answer.
  private void rehearseAfterScan() {
    try {
      while (tree.snapshot().scanCount() == 0) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      return; // Stopping.
    }
    rehearsal.run();
  }

  public int port() {
    return server.port();
  }

  // The triggers the next update stops services by (with the new image's); empty when unknown.
  private List<Trigger> lastTriggers() {
    try {
      return state.lastTriggers();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** What a poll reports. */
  public SubdStatus status() {
    // Flags first: a fetch or update seen as finished has already published its outcome.
    boolean fetching = fetcher.inProgress();
    boolean updating = updater.inProgress();
    TreeState.Snapshot s = tree.snapshot();
    UpdateResult last = updater.last();
    String fetchError = fetcher.lastError();
    long fetchEnd = fetcher.lastEndMillis();
    long free;
    try {
      if (rootStore == null) {
        // Looked up once: finding it reads the mount table, and polls come often.
        rootStore = Files.getFileStore(root);
      }
      free = rootStore.getUsableSpace();
    } catch (IOException e) {
      free = -1;
    }
    String lastImage;
    try {
      lastImage = state.lastImage();
    } catch (IOException e) {
      lastImage = null;
    }
    return new SubdStatus(
        s.generation(),
        s.scanCount(),
        s.lastScanEndMillis(),
        s.lastScanDurationMillis(),
        lastImage,
        fetching,
        updating,
        fetchError,
        last == null ? null : last.error(),
        last == null ? 0 : last.windowMillis(),
        last == null ? 0 : last.endMillis(),
        fetchEnd,
        free,
        cache.count(),
        cache.totalBytes(),
        settings.config(),
        last == null ? List.of() : last.triggerResults(),
        startMillis);
  }

  @Override
  public void close() {
    rehearsalThread.interrupt();
    server.close();
    scanLoop.close();
    watcher.close();
    rehasher.close();
    workers.shutdownNow();
  }
}
