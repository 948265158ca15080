package dominion.imageserver;

import dominion.proto.cli.DaemonLifecycle;
import dominion.proto.cli.DaemonTlsOptions;
import dominion.proto.rpc.SecuritySetup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/imageserver}: parses flags, chooses security, and runs an {@link Imageserver}. */
@Command(
    name = "imageserver",
    mixinStandardHelpOptions = true,
    resourceBundle = "dominion.imageserver.help",
    description =
        "Stores images and objects and serves them to imagetool, the dominator and" + " subds.")
public final class ImageserverMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "/var/lib/imageserver",
      description = "Where objects and images are kept (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "6971",
      description =
          "Port for RPCs, the status page, /metrics and /healthz (default:" + " ${DEFAULT-VALUE}).")
  int port;

  @Mixin DaemonTlsOptions tls;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ImageserverMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return DaemonLifecycle.runUntilStopped(spec, this::start, Imageserver::close);
  }

  /**
   * Chooses security from the flags (see {@link SecuritySetup#forDaemon}) and starts an
   * imageserver; null, after saying why on the command line's error stream, when it must not start.
   */
  public Imageserver start() throws Exception {
    SecuritySetup security = tls.setup();
    if (security == null) {
      return null;
    }
    Imageserver server =
        new Imageserver(
            new Imageserver.Config(dataDir, bind, port),
            security.serverSecurity(),
            Clock.systemUTC());
    try {
      server.start();
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }
}
