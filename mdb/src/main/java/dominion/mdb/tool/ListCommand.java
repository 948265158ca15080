package dominion.mdb.tool;

import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mdbtool list}: one line per machine. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the machines: hostname, address, required and planned image, updates.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand MdbtoolMain main;

  @Option(names = "--json", description = "Print the MDB as JSON (the file's form).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Mdb mdb = main.file().load();
    PrintWriter out = main.spec.commandLine().getOut();
    if (json) {
      out.print(new String(new MdbCodec().encode(mdb), StandardCharsets.UTF_8));
      return 0;
    }
    String format = "%-24s %-21s %-24s %-24s %s%n";
    out.printf(Locale.ROOT, format, "HOSTNAME", "ADDRESS", "REQUIRED", "PLANNED", "UPDATES");
    for (Machine m : mdb.machines()) {
      out.printf(
          Locale.ROOT,
          format,
          m.hostname(),
          m.dialAddress() + ":" + m.dialPort(),
          orDash(m.requiredImage()),
          orDash(m.plannedImage()),
          m.disableUpdates() ? "disabled" : "enabled");
    }
    return 0;
  }

  static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
