package dominion.dominator;

import dominion.dominator.herd.HerdConfig;
import dominion.proto.cli.DaemonLifecycle;
import dominion.proto.cli.DaemonTlsOptions;
import dominion.proto.dominator.DominatorMethods;
import dominion.proto.rpc.SecuritySetup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bin/dominator}: parses flags, chooses security, and runs a {@link Dominator}. */
@Command(
    name = "dominator",
    mixinStandardHelpOptions = true,
    resourceBundle = "dominion.dominator.help",
    description = "Follows the MDB: polls every sub, and brings each to its required image.")
public final class DominatorMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--mdb-file",
      defaultValue = "/var/lib/mdbd/mdb.json",
      paramLabel = "FILE",
      description = "The MDB file to follow (default: ${DEFAULT-VALUE}).")
  Path mdbFile;

  @Option(
      names = "--image-server",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The imageserver to load images from; subs fetch objects from it too.")
  String imageServer;

  @Option(
      names = "--state-dir",
      defaultValue = "/var/lib/dominator",
      paramLabel = "DIR",
      description = "Where the fleet-wide updates switch is kept (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "" + DominatorMethods.DEFAULT_PORT,
      description =
          "Port for RPCs, the status page, /metrics and /healthz (default:" + " ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--poll-interval",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "Time between polls of a sub in a steady state, e.g. 5s or 500ms (default:"
              + " ${DEFAULT-VALUE}).")
  String pollInterval;

  @Option(
      names = "--max-backoff",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "Longest wait before retrying an unreachable or failing sub (default:"
              + " ${DEFAULT-VALUE}).")
  String maxBackoff;

  @Option(
      names = "--max-polls-in-flight",
      defaultValue = "128",
      paramLabel = "N",
      description = "Polls running at once (default: ${DEFAULT-VALUE}).")
  int maxPolls;

  @Option(
      names = "--max-updates",
      defaultValue = "100",
      paramLabel = "N",
      description = "Subs updating at once (default: ${DEFAULT-VALUE}).")
  int maxUpdates;

  @Option(
      names = "--max-high-impact-updates",
      defaultValue = "5",
      paramLabel = "N",
      description =
          "Updates with HighImpact or reboot triggers at once (default:" + " ${DEFAULT-VALUE}).")
  int maxHighImpact;

  @Option(
      names = "--safety-min-files",
      defaultValue = "" + HerdConfig.DEFAULT_SAFETY_MIN_FILES,
      paramLabel = "N",
      description =
          "Hold unsafe updates (removing more than half a sub's files) only on subs with at"
              + " least N files where the image manages; smaller, blank-ish roots are brought"
              + " into their image at once. 1 checks every sub (default: ${DEFAULT-VALUE}).")
  int safetyMinFiles;

  @Mixin DaemonTlsOptions tls;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DominatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return DaemonLifecycle.runUntilStopped(spec, this::start, Dominator::close);
  }

  /**
   * Chooses security from the flags (see {@link SecuritySetup#forDaemon}) and starts a dominator;
   * null, after saying why on the command line's error stream, when it must not start.
   */
  public Dominator start() throws Exception {
    int colon = imageServer.lastIndexOf(':');
    if (colon <= 0 || !imageServer.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw new ParameterException(
          spec.commandLine(), "bad --image-server \"" + imageServer + "\": want HOST:PORT");
    }
    String host = imageServer.substring(0, colon).replace("[", "").replace("]", "");
    int imagePort = Integer.parseInt(imageServer.substring(colon + 1));
    if (safetyMinFiles < 1) {
      throw new ParameterException(
          spec.commandLine(), "bad --safety-min-files " + safetyMinFiles + ": want 1 or more");
    }
    HerdConfig herd =
        HerdConfig.defaults(imageServer)
            .withPollInterval(duration("--poll-interval", pollInterval))
            .withBackoff(Duration.ofSeconds(1), duration("--max-backoff", maxBackoff))
            .withMaxPollsInFlight(maxPolls)
            .withUpdateLimits(maxUpdates, maxHighImpact)
            .withSafetyMinFiles(safetyMinFiles);
    SecuritySetup security = tls.setup();
    if (security == null) {
      return null;
    }
    Dominator dominator =
        new Dominator(
            new Dominator.Config(
                mdbFile, host, imagePort, stateDir, bind, port, herd, Duration.ofSeconds(1)),
            security.serverSecurity(),
            security.clientContext(),
            Clock.systemUTC());
    try {
      return dominator.start();
    } catch (Exception e) {
      dominator.close();
      throw e;
    }
  }

  private Duration duration(String flag, String text) {
    try {
      String t = text.strip().toLowerCase(java.util.Locale.ROOT);
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException("not positive");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(),
          "bad " + flag + " \"" + text + "\": want a duration such as 5s, 500ms or 2m");
    }
  }
}
