package dominion.imageserver;

import dominion.proto.rpc.ServerSecurity;
import dominion.proto.tls.TlsConfig;
import dominion.proto.tls.TlsException;
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
@Command(
    name = "imageserver",
    mixinStandardHelpOptions = true,
    description =
        "Stores images and objects and serves them to imagetool, the dominator and" + " subds.")
public final class ImageserverMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ImageserverMain.class);

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

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "Fleet CA certificate (default /etc/ssl/CA.pem).")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "This server's certificate (default /etc/ssl/imageserver/cert.pem).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Its private key (default /etc/ssl/imageserver/key.pem).")
  Path key;

  @Option(
      names = "--permit-insecure-mode",
      description =
          "When the TLS files are missing, serve plain HTTP with no client"
              + " certificates instead of refusing to start: anyone who can reach the port may then"
              + " add and delete images. Files that are present are used (and must be right).")
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
    Imageserver server =
        new Imageserver(new Imageserver.Config(dataDir, bind, port), security, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "imageserver-shutdown"));
    server.start();
    stopped.await();
    return 0;
  }

  // The one place where the server's security is decided (see docs/security.md): TLS when the
  // files are all there; plain HTTP only when one is missing and the operator permitted it.
  private ServerSecurity chooseSecurity() {
    TlsConfig files = TlsConfig.forDaemon("imageserver", ca, cert, key);
    boolean named = ca != null || cert != null || key != null;
    if (permitInsecureMode && !named && !files.missingFiles().isEmpty()) {
      log.warn(
          "running INSECURE (--permit-insecure-mode, TLS files missing): plain HTTP, no client"
              + " certificates; anyone who can reach port {} may change images",
          port);
      return ServerSecurity.insecure();
    }
    try {
      return new ServerSecurity.Tls(files.serverContext());
    } catch (TlsException e) {
      spec.commandLine()
          .getErr()
          .println(
              "imageserver: refusing to start: "
                  + e.getMessage()
                  + (permitInsecureMode
                      ? ""
                      : "; or pass --permit-insecure-mode to run without TLS"));
      return null;
    }
  }
}
