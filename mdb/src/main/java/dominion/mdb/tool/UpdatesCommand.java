package dominion.mdb.tool;

import dominion.mdb.HostGlob;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code disable-updates} and {@code enable-updates}: a machine's DisableUpdates flag. */
abstract class UpdatesCommand implements Callable<Integer> {
  @ParentCommand MdbtoolMain main;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "HOST", description = "Hostname (or shell pattern; quote it).")
  String host;

  abstract boolean disable();

  @Override
  public Integer call() throws Exception {
    HostGlob hosts;
    try {
      hosts = HostGlob.of(host);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    String verb = disable() ? "disable updates of" : "enable updates of";
    List<String> changed = Edits.apply(main, hosts, verb, m -> m.withDisableUpdates(disable()));
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "updates %s on %d machine(s): %s%n",
            disable() ? "disabled" : "enabled",
            changed.size(),
            String.join(" ", changed));
    return 0;
  }

  @Command(
      name = "disable-updates",
      mixinStandardHelpOptions = true,
      description = "Hold every change to the machine (the dominator keeps polling it).")
  static final class Disable extends UpdatesCommand {
    @Override
    boolean disable() {
      return true;
    }
  }

  @Command(
      name = "enable-updates",
      mixinStandardHelpOptions = true,
      description = "Let the dominator change the machine again.")
  static final class Enable extends UpdatesCommand {
    @Override
    boolean disable() {
      return false;
    }
  }
}
