package dominion.imagetool;

import dominion.proto.cli.ToolRunner;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
      GetCommand.class,
      TarCommand.class,
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

  @Mixin TlsOptions tls;

  // Where binary output (tar to standard output) goes: standard output, or a test's buffer.
  final OutputStream binaryOut;

  ImagetoolMain(OutputStream binaryOut) {
    this.binaryOut = binaryOut;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "give a command (see --help)");
  }

  /** Runs imagetool with {@code args}, printing to {@code out} and {@code err}; the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.out);
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter)}, with binary output to {@code bin}. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, OutputStream bin) {
    int code = ToolRunner.run(new ImagetoolMain(bin), args, out, err, Errors::describe);
    try {
      bin.flush();
    } catch (java.io.IOException e) {
      err.println("imagetool: writing standard output failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    return code;
  }

  public static void main(String[] args) {
    System.exit(run(args, ToolRunner.utf8(System.out), ToolRunner.utf8(System.err)));
  }
}
