package dominion.subd.bench;

import dominion.core.fs.ContentHasher;
import dominion.core.fs.TreeScanner;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.SecuritySetup;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdStatus;
import dominion.subd.testing.TreeDiff;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The Java half of bench/subd-bench.sh (a benchmark, not a test). Commands:
 *
 * <pre>
 * scan DIR RUNS                         full scans (SHA-512 of every file), one line per run
 * update SUBD IMAGESERVER IMAGE=LABEL...
 *                                       for each step in turn, in one JVM (a dominator is a
 *                                       long-running process): poll, diff, fetch, update; prints
 *                                       the timings (after the first scan, puts the limits back to
 *                                       the defaults: 2% disk, 1% CPU, so the full re-hash does not
 *                                       compete as it would with the limits lifted)
 * fetch IMAGESERVER HASHFILE DIR RUNS   the Fetcher alone into fresh caches under DIR, one JVM
 *                                       (hex hashes, one a line)
 * objects IMAGESERVER FROM TO           the objects a sub on image FROM fetches to go to TO, as
 *                                       the update command's diff names them (hex, one a line)
 * bump SUBD FILE RUNS PAUSE_MS          time from changing FILE to the next generation
 * limits SUBD SCAN CPU NET              SetConfiguration
 * </pre>
 *
 * <p>Calls in TLS when the system properties {@code dominion.bench.ca}, {@code .cert} and {@code
 * .key} name the files, else in plain HTTP.
 */
public final class SubdBench {
  /**
   * How often a fetch or update is polled: as often as the dominator polls a busy sub
   * (Sub.BUSY_INTERVAL). Polls cost subd CPU (every 20 ms, they made a fetch about a quarter
   * slower); their timings come from subd's own clock, not from when a poll noticed the end.
   */
  private static final long POLL_MILLIS = 500;

  /** How often a changed file's generation bump is polled: its timing is this JVM's. */
  private static final long BUMP_POLL_MILLIS = 20;

  private SubdBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "scan" -> scan(Path.of(args[1]), Integer.parseInt(args[2]));
      case "update" -> {
        for (int i = 3; i < args.length; i++) {
          String[] step = args[i].split("=", 2);
          update(args[1], args[2], step[0], step.length > 1 ? step[1] : "");
        }
      }
      case "fetch" -> fetch(args[1], Path.of(args[2]), Path.of(args[3]), Integer.parseInt(args[4]));
      case "objects" -> {
        ImageServerClient images = new ImageServerClient(client(args[1]));
        Image from = images.getImage(ImageName.of(args[2]));
        Image to = images.getImage(ImageName.of(args[3]));
        new TreeDiff(from.tree(), java.util.Set.of(), to.tree())
            .fetch.forEach(h -> System.out.println(h.hex()));
      }
      case "bump" ->
          bump(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
      case "limits" ->
          subd(args[1])
              .setConfiguration(
                  new SubdConfig(
                      Integer.parseInt(args[2]),
                      Integer.parseInt(args[3]),
                      Integer.parseInt(args[4]),
                      null));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
    System.exit(0);
  }

  // TLS with the certificate the system properties dominion.bench.ca, .cert and .key name (the
  // script issues one of the dominator's role), or plain HTTP when they are not set.
  private static final SecuritySetup SECURITY = security();

  private static SecuritySetup security() {
    String ca = System.getProperty("dominion.bench.ca");
    if (ca == null) {
      return SecuritySetup.plain();
    }
    try {
      return SecuritySetup.forCli(
          Path.of(ca),
          Path.of(System.getProperty("dominion.bench.cert")),
          Path.of(System.getProperty("dominion.bench.key")),
          false);
    } catch (dominion.proto.tls.TlsException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static RpcClient client(String address) {
    String[] hp = address.split(":");
    HttpClient http =
        SECURITY.newHttpClient(Duration.ofSeconds(5), Executors.newVirtualThreadPerTaskExecutor());
    return SECURITY.client(http, hp[0], Integer.parseInt(hp[1]), Duration.ofMinutes(5));
  }

  private static SubdClient subd(String address) {
    return new SubdClient(client(address));
  }

  private static void scan(Path dir, int runs) throws Exception {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 1; i <= runs; i++) {
      long cpu = threads.getCurrentThreadCpuTime();
      TreeScanner scanner = new TreeScanner(TreeScanner.Config.ALL, ContentHasher.sha512());
      long start = System.nanoTime();
      TreeScanner.Result r = scanner.scan(dir);
      double s = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "scan run %d: %.3f s wall, %.3f s CPU, %d entries, %d files, %.1f MiB/s%n",
          i,
          s,
          cpuSeconds,
          r.stats().entries(),
          r.stats().hashedFiles(),
          r.stats().hashedBytes() / s / (1 << 20));
    }
  }

  private static SubdStatus await(SubdClient client, Predicate<SubdStatus> done)
      throws InterruptedException {
    return await(client, POLL_MILLIS, done);
  }

  private static SubdStatus await(SubdClient client, long pollMillis, Predicate<SubdStatus> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      SubdStatus s = client.poll(0, true).response().status();
      if (done.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out: " + s);
      }
      Thread.sleep(pollMillis);
    }
  }

  private static void update(
      String subdAddress, String serverAddress, String imageName, String label) throws Exception {
    SubdClient client = subd(subdAddress);
    ImageServerClient images = new ImageServerClient(client(serverAddress));
    Image image = images.getImage(ImageName.of(imageName));
    await(client, s -> s.generation() != 0);
    client.setConfiguration(new SubdConfig(2, 1, 10, null));
    String load =
        Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).substring(0, 14);
    long t0 = System.nanoTime();
    PollResult poll = client.poll(0, false);
    Filter exclusions = Filter.parse(poll.response().status().config().scanExclusions());
    TreeDiff diff = new TreeDiff(poll.tree(), poll.cachedObjects(), image.tree(), exclusions);
    // The dominator is a long-running process: encode the requests once so that the timings below
    // do not include this JVM's first use of the encoders.
    dominion.core.json.Json.mapper().writeValueAsBytes(diff.request(imageName, null));
    long t1 = System.nanoTime();
    long t1Millis = System.currentTimeMillis();
    System.out.println("diff: " + diff.summary());
    client.fetch(
        new FetchRequest(serverAddress, diff.fetch.stream().map(h -> h.hex()).toList(), 100));
    SubdStatus fetched = await(client, s -> !s.fetchInProgress());
    if (fetched.lastFetchError() != null) {
      throw new IllegalStateException(fetched.lastFetchError());
    }
    long before = fetched.lastUpdateEndMillis();
    long t2Millis = System.currentTimeMillis();
    client.update(diff.request(imageName, null));
    SubdStatus updated =
        await(client, s -> !s.updateInProgress() && s.lastUpdateEndMillis() != before);
    if (updated.lastUpdateError() != null) {
      throw new IllegalStateException(updated.lastUpdateError());
    }
    // Each from its call to its end by subd's clock (the same clock: one host), so neither
    // includes the wait for the poll that noticed the end.
    double fetchSeconds = (fetched.lastFetchEndMillis() - t1Millis) / 1e3;
    double updateSeconds = (updated.lastUpdateEndMillis() - t2Millis) / 1e3;
    System.out.printf(
        Locale.ROOT,
        "%sfetch+update %.3f s (fetch %.3f s, update %.3f s), change window %d ms;"
            + " poll+diff %.3f s; load %s%n",
        label.isEmpty() ? "" : label + ": ",
        fetchSeconds + updateSeconds,
        fetchSeconds,
        updateSeconds,
        updated.lastUpdateWindowMillis(),
        (t1 - t0) / 1e9,
        load);
    // Converged? A scan that began after the update ended (as the dominator waits for one) must
    // match the image outside the exclusions. The next step's diff starts from that tree too.
    long end = updated.lastUpdateEndMillis();
    await(client, s -> s.lastScanStartMillis() > end);
    PollResult after = client.poll(0, false);
    TreeDiff rest = new TreeDiff(after.tree(), after.cachedObjects(), image.tree(), exclusions);
    System.out.println(
        (label.isEmpty() ? "" : label + ": ") + "after the update: " + rest.summary());
  }

  private static void fetch(String server, Path hashFile, Path dir, int runs) throws Exception {
    java.util.List<String> hashes =
        Files.readAllLines(hashFile, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    var executor = Executors.newVirtualThreadPerTaskExecutor();
    var source =
        new dominion.subd.fetch.RpcObjectSource(
            SECURITY.newHttpClient(Duration.ofSeconds(10), executor),
            SECURITY.tls(),
            Duration.ofMinutes(10));
    for (int i = 1; i <= runs; i++) {
      Path objects = dir.resolve("fetch-" + i);
      var cache = new dominion.core.objectstore.DiskObjectStore(objects);
      var fetcher =
          new dominion.subd.fetch.Fetcher(
              dominion.subd.fetch.Fetcher.Config.DEFAULT,
              cache,
              () -> dominion.subd.sys.LinuxCalls.syncfs(objects),
              new dominion.subd.state.VerifiedObjects(100_000),
              source,
              p -> Double.POSITIVE_INFINITY,
              executor,
              () -> {});
      long cpu = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      long start = System.nanoTime();
      fetcher.start(new FetchRequest(server, hashes, 100));
      while (fetcher.inProgress()) {
        Thread.sleep(1);
      }
      double s = (System.nanoTime() - start) / 1e9;
      double cpuSeconds =
          (((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() - cpu) / 1e9;
      if (fetcher.lastError() != null) {
        throw new IllegalStateException(fetcher.lastError());
      }
      System.out.printf(
          Locale.ROOT,
          "fetch run %d: %.3f s wall, %.3f s CPU, %d objects, %.1f MiB%n",
          i,
          s,
          cpuSeconds,
          fetcher.objectsFetched(),
          fetcher.bytesFetched() / 1048576.0);
    }
  }

  private static void bump(String subdAddress, Path file, int runs, long pauseMillis)
      throws Exception {
    SubdClient client = subd(subdAddress);
    for (int i = 1; i <= runs; i++) {
      long generation = client.poll(0, true).response().generation();
      long start = System.nanoTime();
      Files.writeString(file, "bench change " + i + " at " + start + "\n", StandardCharsets.UTF_8);
      await(client, BUMP_POLL_MILLIS, s -> s.generation() != generation);
      System.out.printf(Locale.ROOT, "bump run %d: %.3f s%n", i, (System.nanoTime() - start) / 1e9);
      Thread.sleep(pauseMillis);
    }
  }
}
