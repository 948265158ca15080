package dominion.subd;

import dominion.proto.cli.DaemonLifecycle;
import dominion.proto.cli.DaemonTlsOptions;
import dominion.proto.rpc.SecuritySetup;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdMethods;
import dominion.subd.rehearsal.Rehearsal;
import dominion.subd.update.ServiceCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/subd}: parses flags, chooses security, and runs a {@link Subd}. */
@Command(
    name = "subd",
    mixinStandardHelpOptions = true,
    resourceBundle = "dominion.subd.help",
    description =
        "Scans a root file system, fetches objects and applies updates sent by the" + " dominator.")
public final class SubdMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--root-dir",
      defaultValue = "/",
      description = "The root file system to manage (default: ${DEFAULT-VALUE}).")
  Path rootDir;

  @Option(
      names = "--state-dir",
      description =
          "subd's own state: object cache, last image (default: ROOT/.subd; keep it on"
              + " the root's file system so files can be renamed into place).")
  Path stateDir;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "" + SubdMethods.DEFAULT_PORT,
      description =
          "Port for RPCs, the status page, /metrics and /healthz (default:" + " ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--service-command",
      description =
          "Service manager command line; {action} and {service} are substituted, else"
              + " 'systemctl ACTION NAME' or 'service NAME ACTION' (default: systemctl where systemd"
              + " runs, else service).")
  String serviceCommand;

  @Option(
      names = "--reboot-command",
      defaultValue = "reboot",
      description =
          "Command line run when a trigger asks for a reboot (default:" + " ${DEFAULT-VALUE}).")
  String rebootCommand;

  @Option(
      names = "--scan-speed-percent",
      defaultValue = "" + Settings.DEFAULT_SCAN_SPEED_PERCENT,
      description =
          "Share of the disk's bandwidth the scan may use, counting only reads that"
              + " reach the device (default: ${DEFAULT-VALUE}; 100 = unlimited).")
  int scanSpeedPercent;

  @Option(
      names = "--cpu-percent",
      defaultValue = "" + Settings.DEFAULT_CPU_PERCENT,
      description =
          "Share of one CPU the scan may use (default: ${DEFAULT-VALUE}; 100 =" + " unlimited).")
  int cpuPercent;

  @Option(
      names = "--network-speed-percent",
      defaultValue = "" + Settings.DEFAULT_NETWORK_SPEED_PERCENT,
      description =
          "Share of the network's bandwidth a fetch may use unless the dominator asks"
              + " otherwise (default: ${DEFAULT-VALUE}).")
  int networkSpeedPercent;

  @Option(
      names = "--disk-mib-per-second",
      defaultValue = "100",
      description =
          "The disk's read bandwidth that --scan-speed-percent is a share of (default:"
              + " ${DEFAULT-VALUE} MiB/s).")
  double diskMibPerSecond;

  @Option(
      names = "--network-mbit-per-second",
      defaultValue = "0",
      description =
          "The network bandwidth --network-speed-percent is a share of (default: the"
              + " fastest interface's speed, or 1000 if none reports one).")
  long networkMbit;

  @Option(
      names = "--min-scan-interval-ms",
      defaultValue = "1000",
      description = "Least time between metadata passes (default: ${DEFAULT-VALUE}).")
  long minScanIntervalMs;

  @Option(
      names = "--periodic-scan-seconds",
      defaultValue = "60",
      description =
          "Time between metadata passes while change notification (inotify) works;"
              + " without it passes run as often as the limits allow (default: ${DEFAULT-VALUE}).")
  long periodicScanSeconds;

  @Option(
      names = "--min-full-rehash-seconds",
      defaultValue = "600",
      description = "Least time for one full re-hash of the root (default: ${DEFAULT-VALUE}).")
  long minFullRehashSeconds;

  @Option(
      names = "--no-fsync",
      description =
          "Do not fsync files before renaming them into place (faster; a power cut"
              + " during an update may then leave empty files).")
  boolean noFsync;

  @Option(
      names = "--rehearsal-rounds",
      defaultValue = "3",
      description =
          "Fetch-and-update rounds rehearsed on a scratch tree in the state directory after the"
              + " first scan, so that the first real update runs compiled code; 0 for none"
              + " (default: ${DEFAULT-VALUE}).")
  int rehearsalRounds;

  @Mixin DaemonTlsOptions tls;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SubdMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return DaemonLifecycle.runUntilStopped(spec, this::start, Subd::close);
  }

  /**
   * Chooses security from the flags (see {@link SecuritySetup#forDaemon}) and starts a subd; null,
   * after saying why on the command line's error stream, when it must not start.
   */
  public Subd start() throws Exception {
    SecuritySetup security = tls.setup();
    if (security == null) {
      return null;
    }
    Path state = stateDir != null ? stateDir : rootDir.resolve(".subd");
    Subd.Config config =
        new Subd.Config(
            rootDir,
            state,
            bind,
            port,
            new SubdConfig(
                scanSpeedPercent, cpuPercent, networkSpeedPercent, Settings.DEFAULT_EXCLUSIONS),
            serviceCommand != null ? serviceCommand : ServiceCommand.defaultCommand(),
            rebootCommand,
            Duration.ofMillis(minScanIntervalMs),
            Duration.ofSeconds(periodicScanSeconds),
            Duration.ofSeconds(minFullRehashSeconds),
            diskMibPerSecond * (1 << 20),
            networkMbit * 125_000L,
            !noFsync,
            new Rehearsal.Config(rehearsalRounds, Rehearsal.Config.DEFAULT.files()));
    Subd subd = new Subd(config, security.serverSecurity(), security.clientContext());
    try {
      return subd.start();
    } catch (Exception e) {
      subd.close();
      throw e;
    }
  }
}
