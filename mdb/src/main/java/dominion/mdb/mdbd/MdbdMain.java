package dominion.mdb.mdbd;

import dominion.mdb.MdbCodec;
import dominion.mdb.mdbd.http.MdbdPages;
import dominion.proto.cli.DaemonLifecycle;
import dominion.proto.cli.DaemonTlsOptions;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.SecuritySetup;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/mdbd}: merges the MDB sources a file lists into the MDB file, and keeps doing so.
 * Serves a read-only status page (no RPCs), over TLS with its certificate like every daemon.
 */
@Command(
    name = "mdbd",
    mixinStandardHelpOptions = true,
    resourceBundle = "dominion.mdb.mdbd.help",
    description =
        "Merge MDB sources (JSON machine lists and text lists, from files or URLs) into"
            + " the MDB file the dominator reads; re-read them periodically and rewrite the file"
            + " atomically when the result changes.")
public final class MdbdMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--sources",
      required = true,
      paramLabel = "FILE",
      description =
          "The sources file: one 'json FILE-or-URL' or 'text FILE-or-URL' per line;"
              + " later sources override earlier ones.")
  Path sources;

  @Option(
      names = "--mdb-file",
      defaultValue = "/var/lib/mdbd/mdb.json",
      paramLabel = "FILE",
      description = "The MDB file to write (default: ${DEFAULT-VALUE}).")
  Path mdbFile;

  @Option(
      names = "--interval",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Seconds between merges (default: ${DEFAULT-VALUE}).")
  long intervalSeconds;

  @Option(names = "--once", description = "Merge once and exit (1 if a source failed).")
  boolean once;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address of the status page (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "6973",
      description =
          "Port of the status page, /metrics and /healthz; 0 = none (default:"
              + " ${DEFAULT-VALUE}).")
  int port;

  @Mixin DaemonTlsOptions tls;

  /** A running mdbd: the merge loop and, unless {@code --port 0}, the server of its pages. */
  public static final class Running implements AutoCloseable {
    private final ExecutorService workers;
    private final MdbMerge merge;
    private final RpcServer server;

    private Running(ExecutorService workers, MdbMerge merge, RpcServer server) {
      this.workers = workers;
      this.merge = merge;
      this.server = server;
    }

    /** The port of the pages; 0 when there are none. */
    public int port() {
      return server == null ? 0 : server.port();
    }

    @Override
    public void close() {
      merge.close();
      if (server != null) {
        server.close();
      }
      workers.shutdownNow();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new MdbdMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (once) {
      ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
      try (MdbMerge merge = newMerge(workers)) {
        merge.cycle();
        return merge.status().lastError() == null ? 0 : 1;
      } finally {
        workers.shutdownNow();
      }
    }
    return DaemonLifecycle.runUntilStopped(spec, this::start, Running::close);
  }

  /**
   * Chooses security from the flags (see {@link SecuritySetup#forDaemon}; only when the pages are
   * served) and starts merging and serving; null, after saying why on the command line's error
   * stream, when it must not start.
   */
  public Running start() throws Exception {
    SecuritySetup security = null;
    if (port != 0) {
      security = tls.setup();
      if (security == null) {
        return null;
      }
    }
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    MdbMerge merge = newMerge(workers);
    // Only read-only pages are served: they need no client certificate.
    RpcServer server =
        security == null
            ? null
            : new RpcServer(
                new RpcServer.Config(bind, port, "mdbd"), security.serverSecurity(), workers);
    Running running = new Running(workers, merge, server);
    try {
      if (server != null) {
        new MdbdPages(merge).register(server);
        server.start();
      }
      merge.start();
      return running;
    } catch (Exception e) {
      running.close();
      throw e;
    }
  }

  private MdbMerge newMerge(ExecutorService workers) {
    HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(workers).build();
    MdbCodec codec = new MdbCodec();
    return new MdbMerge(
        new MdbMerge.Config(sources, mdbFile, Duration.ofSeconds(Math.max(1, intervalSeconds))),
        new SourceReader(http, Duration.ofSeconds(30), codec),
        codec,
        Clock.systemUTC());
  }
}
