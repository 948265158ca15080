package dominion.dominator.domtool;

import com.fasterxml.jackson.databind.SerializationFeature;
import dominion.core.json.Json;
import dominion.proto.dominator.ListSubsResponse;
import dominion.proto.dominator.SubInfo;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code domtool list-subs [--status S] [--json]}. */
@Command(
    name = "list-subs",
    mixinStandardHelpOptions = true,
    description = "List the subs with their state, images and last error.")
final class ListSubsCommand implements Callable<Integer> {
  @ParentCommand DomtoolMain main;

  @Option(
      names = "--status",
      paramLabel = "STATE",
      description = "Only subs in this state (synced, unreachable, updates-disabled, ...).")
  String status;

  @Option(names = "--json", description = "Print the dominator's answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ListSubsResponse r = main.client().listSubs(status);
    PrintWriter out = main.spec.commandLine().getOut();
    if (json) {
      out.println(
          Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
      return 0;
    }
    StringBuilder summary = new StringBuilder(r.total() + " subs");
    r.counts().forEach((state, n) -> summary.append(", ").append(state).append(" ").append(n));
    out.println(summary);
    if (r.updates().disabled()) {
      out.println("UPDATES DISABLED by " + r.updates().by() + ": " + r.updates().reason());
    }
    if (r.mdbError() != null) {
      out.println("MDB: " + r.mdbError());
    }
    String format = "%-20s %-22s %-20s %-20s %s%n";
    out.printf(
        Locale.ROOT, format, "HOSTNAME", "STATE", "REQUIRED", "LAST IMAGE", "ERROR OR DETAIL");
    for (SubInfo s : r.subs()) {
      out.printf(
          Locale.ROOT,
          format,
          s.hostname(),
          s.state(),
          dash(s.requiredImage()),
          dash(s.lastImage()),
          s.lastError() != null ? s.lastError() : s.detail() != null ? s.detail() : "");
    }
    return 0;
  }

  static String dash(String s) {
    return s == null ? "-" : s;
  }
}
