package dominion.dominator.bench;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Triggers;
import dominion.dominator.herd.Controls;
import dominion.dominator.herd.Herd;
import dominion.dominator.herd.HerdConfig;
import dominion.dominator.herd.ImageCache;
import dominion.dominator.herd.RpcSubApi;
import dominion.dominator.herd.SubState;
import dominion.dominator.herd.SubView;
import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * The herd against many simulated subds speaking the real protocol on loopback (a second process,
 * {@link SimFleetMain}): {@code HerdBench COUNT... [--poll-interval-ms N] [--files N]}. For each
 * count it prints the time of the first cycle (every sub polled in full and judged synced), of
 * steady cycles (every sub polled once more, briefly), of a cycle in which 10% of the subs drifted
 * (full polls, an update each, a fresh scan), the herd process's CPU share over the steady cycles,
 * and its resident memory.
 */
public final class HerdBench {
  private static final ImageMetadata META = new ImageMetadata("bench", 0, 0, null, null);

  private HerdBench() {}

  /** Sub i's loopback address: 127.10.x.y. */
  static String address(int i) {
    return "127.10." + (i / 250) + "." + (2 + i % 250);
  }

  static FileTree imageTree(int files) {
    return tree(files, false);
  }

  static FileTree driftedTree(int files) {
    return tree(files, true);
  }

  private static FileTree tree(int files, boolean extra) {
    FileTree.Builder b =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/etc", 2, DirectoryInode.of(0755, 0, 0, 0));
    long inum = 3;
    for (int i = 0; i < files + (extra ? 1 : 0); i++) {
      byte[] content =
          ("file " + i + (i == files ? " drift" : "")).getBytes(StandardCharsets.UTF_8);
      b.add(
          "/etc/f" + i,
          inum++,
          RegularInode.of(0644, 0, 0, 1_000_000_000L, content.length, Hash.of(content)));
    }
    return b.build();
  }

  public static void main(String[] args) throws Exception {
    List<Integer> counts = new ArrayList<>();
    long pollMillis = 5000;
    int files = 50;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--poll-interval-ms" -> pollMillis = Long.parseLong(args[++i]);
        case "--files" -> files = Integer.parseInt(args[++i]);
        default -> counts.add(Integer.parseInt(args[i]));
      }
    }
    if (counts.isEmpty()) {
      counts = List.of(1000, 10000);
    }
    System.out.printf(
        Locale.ROOT,
        "herd benchmark: %d CPUs, poll interval %d ms, %d files per sub%n",
        Runtime.getRuntime().availableProcessors(),
        pollMillis,
        files);
    for (int count : counts) {
      run(count, files, Duration.ofMillis(pollMillis));
    }
    System.exit(0);
  }

  private static void run(int count, int files, Duration poll) throws Exception {
    int port = 16969;
    int control = 16968;
    Process sim =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                SimFleetMain.class.getName(),
                "" + port,
                "" + count,
                "" + files,
                "" + control)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
      if (!"ready".equals(out.readLine())) {
        throw new IOException("the simulated fleet did not start");
      }
      measure(count, files, poll, port, control);
    } finally {
      sim.destroy();
      sim.waitFor();
    }
  }

  private static void measure(int count, int files, Duration poll, int port, int control)
      throws Exception {
    Image image = new Image(imageTree(files), Filter.EMPTY, Triggers.NONE, META);
    HerdConfig config = HerdConfig.defaults("127.0.0.1:1").withPollInterval(poll);
    HttpClient http =
        RpcClients.newHttpClient(
            null, Duration.ofSeconds(10), Executors.newVirtualThreadPerTaskExecutor());
    try (Herd herd =
        new Herd(
            config,
            new ImageCache(name -> image, Duration.ofSeconds(5), Clock.systemUTC()),
            new Controls(
                null,
                config.maxUpdatesInFlight(),
                config.maxHighImpactUpdatesInFlight(),
                Clock.systemUTC()),
            RpcSubApi.factory(
                http,
                false,
                new RpcClient.Limits(
                    Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(30))),
            Clock.systemUTC())) {
      List<Machine> machines = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        machines.add(
            Machine.of("sub" + i)
                .withIpAddress(address(i))
                .withPort(port)
                .withRequiredImage("bench/1"));
      }
      long start = System.nanoTime();
      herd.setMdb(Mdb.of(machines));
      awaitAll(herd, count, SubState.SYNCED, Duration.ofMinutes(5));
      double first = seconds(start);
      long cpu0 = cpuNanos();
      long wall0 = System.nanoTime();
      long polls0 = herd.stats().polls();
      double[] steady = new double[3];
      for (int c = 0; c < steady.length; c++) {
        steady[c] = cycle(herd);
      }
      double cpuShare = (cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
      long polls = herd.stats().polls() - polls0;
      double pollRate = polls / seconds(wall0);
      long updates0 = herd.stats().updates();
      long treePolls0 = herd.stats().treePolls();
      long driftStart = System.nanoTime();
      int drifted = drift(control, 10);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (herd.stats().updates() - updates0 < drifted
          || herd.counts().getOrDefault(SubState.SYNCED, 0) < count) {
        if (System.nanoTime() > deadline) {
          throw new IOException("drifted subs did not converge: " + herd.counts());
        }
        Thread.sleep(20);
      }
      double driftCycle = seconds(driftStart);
      System.gc();
      System.out.printf(
          Locale.ROOT,
          "%,d subs: first cycle (full polls, judged synced) %.1f s;"
              + " steady cycles %.1f / %.1f / %.1f s (%.0f polls/s, dominator CPU %.0f%% of one core);"
              + " 10%% drift (%d subs: full poll, update, fresh scan) converged in %.1f s"
              + " (%d tree polls); resident memory %d MiB, heap used %d MiB%n",
          count,
          first,
          steady[0],
          steady[1],
          steady[2],
          pollRate,
          cpuShare * 100,
          drifted,
          driftCycle,
          herd.stats().treePolls() - treePolls0,
          rssMib(),
          heapMib());
    }
  }

  // Time until every sub has been polled again after now.
  private static double cycle(Herd herd) throws Exception {
    long mark = System.currentTimeMillis();
    long start = System.nanoTime();
    while (true) {
      boolean all = true;
      for (SubView v : herd.views()) {
        if (v.info().lastPollMillis() <= mark) {
          all = false;
          break;
        }
      }
      if (all) {
        return seconds(start);
      }
      Thread.sleep(100);
    }
  }

  private static void awaitAll(Herd herd, int count, SubState state, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (herd.counts().getOrDefault(state, 0) < count) {
      if (System.nanoTime() > deadline) {
        throw new IOException("not all subs " + state.label() + ": " + herd.counts());
      }
      Thread.sleep(20);
    }
  }

  private static int drift(int control, int percent) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + control + "/drift?percent=" + percent))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return Integer.parseInt(r.body().strip());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long rssMib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  private static long heapMib() {
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }
}
