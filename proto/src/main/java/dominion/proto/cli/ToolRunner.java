package dominion.proto.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * How a Dominion CLI (certtool, mdbtool, domtool, imagetool) runs its command line: exit 0 on
 * success; on a usage error {@code <command>: <what>} and {@code Try '<command> --help' for
 * usage.}, exit 2; on a failure {@code <command>: <what>}, exit 1.
 */
public final class ToolRunner {
  private ToolRunner() {}

  /**
   * Runs {@code command} with {@code args}, printing to {@code out} and {@code err}; the exit code.
   * A failure is described by its message.
   */
  public static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
    return run(command, args, out, err, ToolRunner::describe);
  }

  /**
   * As {@link #run(Object, String[], PrintWriter, PrintWriter)}; {@code describe} says a failure.
   */
  public static int run(
      Object command,
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Function<Exception, String> describe) {
    return run(command, args, out, err, describe, e -> false);
  }

  /**
   * As {@link #run(Object, String[], PrintWriter, PrintWriter)}.
   *
   * @param describe the line printed for a failure, after the command's name
   * @param usageError whether a failure is the caller's mistake (exit 2, not 1)
   */
  public static int run(
      Object command,
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Function<Exception, String> describe,
      Predicate<Exception> usageError) {
    CommandLine cli = new CommandLine(command);
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
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + describe.apply(e));
          return usageError.test(e)
              ? c.getCommandSpec().exitCodeOnInvalidInput()
              : c.getCommandSpec().exitCodeOnExecutionException();
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** A failure's message, or the failure itself when it has none. */
  public static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** A UTF-8 writer on {@code stream} that flushes at each line: for a main's standard streams. */
  public static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
