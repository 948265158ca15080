package dominion.imageserver;

import dominion.proto.rpc.SecuritySetup;
import dominion.proto.tls.TlsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      description = "The fleet's CA certificate (default /etc/ssl/CA.pem).")
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
      names = SecuritySetup.PERMIT_INSECURE_FLAG,
      description =
          "When a TLS file is missing, run without TLS instead of refusing to start: plain HTTP,"
              + " no certificates, and anyone who can reach the port may add and delete images."
              + " Logged and shown on the status page. With all three files present TLS is used.")
  boolean permitInsecureMode;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ImageserverMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Imageserver server;
    try {
      server = start();
    } catch (IOException e) {
      // A busy port, a missing directory: one line, not a stack trace.
      spec.commandLine().getErr().println("imageserver: cannot start: " + e.getMessage());
      return 1;
    }
    if (server == null) {
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "imageserver-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * Chooses security from the flags (see {@link SecuritySetup#forDaemon}) and starts an
   * imageserver; null, after saying why on the command line's error stream, when it must not start.
   */
  public Imageserver start() throws Exception {
    SecuritySetup security;
    try {
      security = SecuritySetup.forDaemon("imageserver", ca, cert, key, permitInsecureMode);
    } catch (TlsException e) {
      spec.commandLine().getErr().println("imageserver: " + e.getMessage());
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
