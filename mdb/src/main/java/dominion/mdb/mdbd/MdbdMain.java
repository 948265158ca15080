package dominion.mdb.mdbd;

import dominion.mdb.MdbCodec;
import dominion.mdb.mdbd.http.MdbdPages;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/mdbd}: merges the MDB sources a file lists into the MDB file, and keeps doing so.
 * Serves a read-only status page; it has no RPCs, so it needs no certificate.
 */
@Command(
    name = "mdbd",
    mixinStandardHelpOptions = true,
    description =
        "Merge MDB sources (JSON machine lists and text lists, from files or URLs) into"
            + " the MDB file the dominator reads; re-read them periodically and rewrite the file"
            + " atomically when the result changes.")
public final class MdbdMain implements Callable<Integer> {
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

  public static void main(String[] args) {
    System.exit(new CommandLine(new MdbdMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(workers).build();
    MdbCodec codec = new MdbCodec();
    MdbMerge merge =
        new MdbMerge(
            new MdbMerge.Config(sources, mdbFile, Duration.ofSeconds(Math.max(1, intervalSeconds))),
            new SourceReader(http, Duration.ofSeconds(30), codec),
            codec,
            Clock.systemUTC());
    if (once) {
      merge.cycle();
      return merge.status().lastError() == null ? 0 : 1;
    }
    RpcServer server = null;
    if (port != 0) {
      // Only read-only pages are served, which need no client certificate.
      server =
          new RpcServer(
              new RpcServer.Config(bind, port, "mdbd"), ServerSecurity.insecure(), workers);
      new MdbdPages(merge).register(server);
      server.start();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    RpcServer started = server;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  merge.close();
                  if (started != null) {
                    started.close();
                  }
                  stopped.countDown();
                },
                "mdbd-shutdown"));
    merge.start();
    stopped.await();
    return 0;
  }
}
