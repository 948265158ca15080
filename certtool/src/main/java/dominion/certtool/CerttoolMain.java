package dominion.certtool;

import dominion.proto.cli.ToolRunner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code certtool}: makes a fleet's certificate authority and issues the certificates that let
 * daemons and users call RPCs. Exits 0 on success, 1 on failure, 2 on a usage error.
 */
@Command(
    name = "certtool",
    mixinStandardHelpOptions = true,
    version = "certtool (Dominion)",
    description =
        "Make a fleet's CA and issue certificates naming a user and the RPC methods it"
            + " may call. See docs/security.md.",
    subcommands = {InitCaCommand.class, IssueCommand.class, ShowCommand.class, RolesCommand.class})
public final class CerttoolMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "give a command: init-ca, issue, show or roles");
  }

  /** Runs certtool with {@code args}, printing to {@code out} and {@code err}; the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return ToolRunner.run(new CerttoolMain(), args, out, err);
  }

  public static void main(String[] args) {
    System.exit(run(args, ToolRunner.utf8(System.out), ToolRunner.utf8(System.err)));
  }
}
