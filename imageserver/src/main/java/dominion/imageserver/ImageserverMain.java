package dominion.imageserver;

import dominion.proto.rpc.ServerSecurity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/imageserver}: parses flags, chooses security, and runs an {@link Imageserver}. */
@Command(name = "imageserver", mixinStandardHelpOptions = true,
    description = "Stores images and objects and serves them to imagetool, the dominator and"
        + " subds.")
public final class ImageserverMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ImageserverMain.class);

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = "/var/lib/imageserver",
      description = "Where objects and images are kept (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "6971",
      description = "Port for RPCs, the status page, /metrics and /healthz (default:"
          + " ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--permit-insecure-mode",
      description = "Serve plain HTTP with no client certificates: anyone who can reach the"
          + " port may add and delete images. Required until TLS certificates are supported.")
  boolean permitInsecureMode;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ImageserverMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ServerSecurity security = chooseSecurity();
    if (security == null) {
      return 2;
    }
    Imageserver server = new Imageserver(new Imageserver.Config(dataDir, bind, port), security,
        Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "imageserver-shutdown"));
    server.start();
    stopped.await();
    return 0;
  }

  // The one place where the server's security is decided. TLS (CA, certificate and key flags)
  // slots in here once dominion.proto.tls is wired up.
  private ServerSecurity chooseSecurity() {
    if (permitInsecureMode) {
      log.warn("running INSECURE (--permit-insecure-mode): plain HTTP, no client certificates;"
          + " anyone who can reach port {} may change images", port);
      return ServerSecurity.insecure();
    }
    spec.commandLine().getErr().println("imageserver: refusing to start: TLS certificates are"
        + " not supported yet, so the server can only run insecure; pass --permit-insecure-mode"
        + " to accept that");
    return null;
  }
}
