package dominion.certtool;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
    CommandLine cli = new CommandLine(new CerttoolMain());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          CommandLine c = e.getCommandLine();
          String name = c.getCommandSpec().qualifiedName();
          c.getErr().println(name + ": " + e.getMessage());
          c.getErr().println("Try '" + name + " --help' for usage.");
          return c.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (e, c, parseResult) -> {
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + message(e));
          return c.getCommandSpec().exitCodeOnExecutionException();
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String message(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }
}
