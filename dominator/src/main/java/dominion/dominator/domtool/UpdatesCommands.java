package dominion.dominator.domtool;

import dominion.proto.dominator.UpdatesControl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code disable-updates REASON} and {@code enable-updates REASON}. */
final class UpdatesCommands {
  private UpdatesCommands() {}

  @Command(
      name = "disable-updates",
      mixinStandardHelpOptions = true,
      description = "Hold every change to every sub (polling goes on) until enable-updates.")
  static final class Disable implements Callable<Integer> {
    @ParentCommand DomtoolMain main;

    @Parameters(
        paramLabel = "REASON",
        arity = "1..*",
        description = "Why; shown on the status page.")
    List<String> reason;

    @Override
    public Integer call() throws Exception {
      print(main, main.client().disableUpdates(String.join(" ", reason)).updates());
      return 0;
    }
  }

  @Command(
      name = "enable-updates",
      mixinStandardHelpOptions = true,
      description = "Let changes flow again.")
  static final class Enable implements Callable<Integer> {
    @ParentCommand DomtoolMain main;

    @Parameters(paramLabel = "REASON", arity = "1..*", description = "Why.")
    List<String> reason;

    @Override
    public Integer call() throws Exception {
      print(main, main.client().enableUpdates(String.join(" ", reason)).updates());
      return 0;
    }
  }

  private static void print(DomtoolMain main, UpdatesControl c) {
    main.spec
        .commandLine()
        .getOut()
        .println(
            "updates "
                + (c.disabled() ? "disabled" : "enabled")
                + " by "
                + c.by()
                + ": "
                + c.reason());
  }
}
