package dominion.imagetool;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code imagetool}: adds, inspects, compares, exports and deletes the images of an imageserver.
 * Exits 0 on success, 1 on failure, 2 on a usage error; every error names what was wrong.
 */
@Command(
    name = "imagetool",
    mixinStandardHelpOptions = true,
    version = "imagetool (Dominion)",
    description = "Manage the images of an imageserver. See docs/imagetool.md.",
    subcommands = {
      AddCommand.class,
      AddiCommand.class,
      ListCommand.class,
      ShowCommand.class,
      ShowFilterCommand.class,
      ShowTriggersCommand.class,
      CheckCommand.class,
      DeleteCommand.class,
      //GET
      //TAR
      DiffCommand.class,
      MatchTriggersCommand.class,
      MkdirCommand.class,
      ListdirsCommand.class,
      FindLatestImageCommand.class,
      EstimateUsageCommand.class
    })
public final class ImagetoolMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "give a command (see --help)");
  }

  /** Runs imagetool with {@code args}, printing to {@code out} and {@code err}; the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new ImagetoolMain());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, ignored) -> {
          CommandLine c = e.getCommandLine();
          String name = c.getCommandSpec().qualifiedName();
          c.getErr().println(name + ": " + e.getMessage());
          c.getErr().println("Try '" + name + " --help' for usage.");
          return c.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (e, c, parseResult) -> {
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + Errors.describe(e));
          return c.getCommandSpec().exitCodeOnExecutionException();
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }
}
