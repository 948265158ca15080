package dominion.mdb.tool;

import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import dominion.proto.cli.ToolRunner;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mdbtool}: reads and edits an MDB file. Every edit locks the file against other editors and
 * replaces it atomically. Exits 0 on success, 1 on failure, 2 on a usage error.
 */
@Command(
    name = "mdbtool",
    mixinStandardHelpOptions = true,
    version = "mdbtool (Dominion)",
    description = "Read and edit an MDB file (the machine database the dominator follows).",
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      AddCommand.class,
      RemoveCommand.class,
      SetImageCommand.SetRequired.class,
      SetImageCommand.SetPlanned.class,
      UpdatesCommand.Disable.class,
      UpdatesCommand.Enable.class
    })
public final class MdbtoolMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--mdb-file",
      paramLabel = "FILE",
      defaultValue = "/var/lib/mdbd/mdb.json",
      description = "The MDB file (default: ${DEFAULT-VALUE}).")
  Path mdbFile;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "give a command: list, show, add, remove,"
            + " set-required, set-planned, disable-updates or enable-updates");
  }

  MdbFile file() {
    return new MdbFile(mdbFile, new MdbCodec());
  }

  /** Runs mdbtool with {@code args}, printing to {@code out} and {@code err}; the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return ToolRunner.run(new MdbtoolMain(), args, out, err, MdbtoolMain::message);
  }

  private static String message(Exception e) {
    if (e instanceof NoSuchFileException missing) {
      return "read MDB "
          + missing.getFile()
          + ": no such file"
          + (missing.getReason() != null ? " (" + missing.getReason() + ")" : "")
          + "; 'mdbtool add' creates it";
    }
    return ToolRunner.describe(e);
  }

  public static void main(String[] args) {
    System.exit(run(args, ToolRunner.utf8(System.out), ToolRunner.utf8(System.err)));
  }
}
