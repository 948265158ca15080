package dominion.certtool;

import dominion.proto.tls.Role;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code certtool roles}: lists the --role presets and the methods each grants. */
@Command(
    name = "roles",
    mixinStandardHelpOptions = true,
    description = "List the --role presets of issue and the methods each grants.")
final class RolesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (Role r : Role.values()) {
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "%-14s %s%n", r.cliName(), Show.join(r.methods()));
    }
    return 0;
  }
}
