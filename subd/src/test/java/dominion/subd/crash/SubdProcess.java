package dominion.subd.crash;

import dominion.proto.rpc.RpcException;
import dominion.proto.rpc.SecuritySetup;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A real subd: its own JVM (SubdMain on this test's class path) on loopback, over TLS with
 * certificates the test made, killed with SIGKILL ({@link Process#destroyForcibly} on Linux) and
 * started again on the same root and state directory. Its output is appended to one log file across
 * restarts.
 */
final class SubdProcess implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Path root;
  private final Path state;
  private final Path log;
  private final String serviceCommand;
  private final List<String> securityFlags;
  private final SecuritySetup caller;
  private final HttpClient http;
  private Process process;
  private SubdClient client;
  // Kills the child if this JVM exits first (a test timeout, an interrupted build).
  private Thread reaper;

  /**
   * @param securityFlags subd's {@code --ca --cert --key} (or {@code --permit-insecure-mode})
   * @param caller the security of the test's calls to subd (a dominator's certificate)
   */
  SubdProcess(
      Path root,
      Path state,
      Path log,
      String serviceCommand,
      List<String> securityFlags,
      SecuritySetup caller) {
    this.root = root;
    this.state = state;
    this.log = log;
    this.serviceCommand = serviceCommand;
    this.securityFlags = List.copyOf(securityFlags);
    this.caller = caller;
    this.http =
        caller.newHttpClient(Duration.ofSeconds(5), Executors.newVirtualThreadPerTaskExecutor());
  }

  /** Starts the process (it may still be recovering, not yet serving). */
  SubdProcess launch() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "dominion.subd.SubdMain",
            "--root-dir",
            root.toString(),
            "--state-dir",
            state.toString(),
            "--bind",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--service-command",
            serviceCommand,
            "--reboot-command",
            "true",
            "--scan-speed-percent",
            "100",
            "--cpu-percent",
            "100",
            "--network-speed-percent",
            "100",
            "--min-scan-interval-ms",
            "200",
            // The updates under test, not a rehearsal's, are what the kills must hit.
            "--rehearsal-rounds",
            "0"));
    cmd.addAll(securityFlags);
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Process started = process;
    if (reaper != null) {
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
    reaper = new Thread(started::destroyForcibly, "subd-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    client = new SubdClient(caller.client(http, "127.0.0.1", port, Duration.ofSeconds(20)));
    return this;
  }

  /**
   * Starts the process and waits until it serves with a first scan done. The port is picked free
   * just before; should another process take it meanwhile, subd exits and is started again on
   * another.
   */
  SubdProcess start() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      launch();
      try {
        awaitStatus(s -> s.generation() != 0);
        return this;
      } catch (AssertionError e) {
        if (attempt == 3 || process.isAlive() || !logSince(logStart).contains("already in use")) {
          throw e;
        }
      }
    }
  }

  private String logSince(long offset) throws IOException {
    byte[] all = Files.readAllBytes(log);
    return new String(
        all,
        (int) Math.min(offset, all.length),
        (int) Math.max(0, all.length - offset),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  SubdClient client() {
    return client;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("subd survived SIGKILL for " + DEADLINE);
    }
  }

  /** Polls (short) until {@code done}, failing at the deadline or if the process dies. */
  SubdStatus awaitStatus(Predicate<SubdStatus> done) throws InterruptedException {
    SubdStatus[] last = {null};
    await(
        "status",
        () -> {
          try {
            last[0] = client.poll(0, true).response().status();
            return done.test(last[0]);
          } catch (RpcException e) {
            return false; // Not serving yet.
          }
        },
        () -> "last status " + last[0]);
    return last[0];
  }

  /**
   * A full poll once a scan that began at or after {@code sinceMillis} has ended. (subd scans when
   * it starts, when an update ends and when change notification says so; otherwise only every
   * minute.)
   */
  PollResult awaitFreshTree(long sinceMillis) throws InterruptedException {
    SubdStatus s =
        awaitStatus(st -> !st.updateInProgress() && st.lastScanStartMillis() >= sinceMillis);
    PollResult r = client.poll(0, false);
    if (r.tree() == null) {
      throw new AssertionError("poll after a scan has no tree: " + s);
    }
    return r;
  }

  /** Waits, polling every 2 ms, until {@code condition} holds; fails at the deadline. */
  void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> detail)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            "subd exited with " + process.exitValue() + " waiting for " + what + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; " + detail.get());
      }
      Thread.sleep(2);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }
}
