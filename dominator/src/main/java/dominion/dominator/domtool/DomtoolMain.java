package dominion.dominator.domtool;

import dominion.proto.cli.ToolRunner;
import dominion.proto.dominator.DominatorClient;
import dominion.proto.dominator.DominatorMethods;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import dominion.proto.rpc.SecuritySetup;
import dominion.proto.tls.TlsException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code domtool}: asks a dominator about its subs and flips its switches. Exits 0 on success, 1 on
 * failure, 2 on a usage error (including one the dominator reports, such as an unknown state).
 */
@Command(
    name = "domtool",
    mixinStandardHelpOptions = true,
    version = "domtool (Dominion)",
    description =
        "Talk to a dominator: list and show subs, disable and enable updates, clear a"
            + " sub's safety shutoff.",
    subcommands = {
      ListSubsCommand.class,
      ShowSubCommand.class,
      UpdatesCommands.Disable.class,
      UpdatesCommands.Enable.class,
      ClearSafetyShutoffCommand.class
    })
public final class DomtoolMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dominator",
      defaultValue = "localhost:" + DominatorMethods.DEFAULT_PORT,
      paramLabel = "HOST:PORT",
      description = "The dominator (default: ${DEFAULT-VALUE}).")
  String dominator;

  @Option(names = "--ca", paramLabel = "FILE", description = "Fleet CA (default ~/.ssl/CA.pem).")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "Your certificate (default ~/.ssl/cert.pem).")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "Its key (default ~/.ssl/key.pem).")
  Path key;

  @Option(
      names = "--insecure",
      description =
          "Plain HTTP without certificates, for a dominator run with"
              + " --permit-insecure-mode. Without it domtool calls in TLS with your certificate.")
  boolean insecure;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "give a command: list-subs, show-sub,"
            + " disable-updates, enable-updates or clear-safety-shutoff");
  }

  /** A client for the dominator named by the flags. */
  DominatorClient client() throws TlsException {
    int colon = dominator.lastIndexOf(':');
    if (colon <= 0 || colon == dominator.length() - 1) {
      throw new ParameterException(
          spec.commandLine(), "bad --dominator \"" + dominator + "\": want HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(dominator.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "bad --dominator \"" + dominator + "\": the port is not a number");
    }
    String host = dominator.substring(0, colon).replace("[", "").replace("]", "");
    SecuritySetup security = SecuritySetup.forCli(ca, cert, key, insecure);
    HttpClient http = security.newHttpClient(Executors.newVirtualThreadPerTaskExecutor());
    return new DominatorClient(security.client(http, host, port, Duration.ofSeconds(60)));
  }

  /** Runs domtool with {@code args}, printing to {@code out} and {@code err}; the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return ToolRunner.run(
        new DomtoolMain(),
        args,
        out,
        err,
        ToolRunner::describe,
        e -> e instanceof RpcException r && r.code() == ErrorCode.INVALID_ARGUMENT);
  }

  public static void main(String[] args) {
    System.exit(run(args, ToolRunner.utf8(System.out), ToolRunner.utf8(System.err)));
  }
}
