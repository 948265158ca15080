package dominion.dominator.domtool;

import com.fasterxml.jackson.databind.SerializationFeature;
import dominion.core.json.Json;
import dominion.proto.dominator.ShowSubResponse;
import dominion.proto.dominator.SubInfo;
import dominion.proto.subd.SubdStatus;
import dominion.proto.subd.TriggerResult;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code domtool show-sub HOST [--json]}. */
@Command(
    name = "show-sub",
    mixinStandardHelpOptions = true,
    description = "Show one sub in detail: state, images, what it still needs, recent events.")
final class ShowSubCommand implements Callable<Integer> {
  @ParentCommand DomtoolMain main;

  @Parameters(paramLabel = "HOST", description = "The machine's hostname.")
  String host;

  @Option(names = "--json", description = "Print the dominator's answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ShowSubResponse r = main.client().showSub(host);
    PrintWriter out = main.spec.commandLine().getOut();
    if (json) {
      out.println(
          Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
      return 0;
    }
    SubInfo s = r.sub();
    line(out, "hostname", s.hostname());
    line(out, "address", s.address());
    line(out, "state", s.state() + " since " + time(s.stateSinceMillis()));
    line(out, "required image", s.requiredImage());
    line(
        out,
        "planned image",
        s.plannedImage() == null
            ? null
            : s.plannedImage() + (s.plannedState() == null ? "" : " (" + s.plannedState() + ")"));
    line(out, "last image", s.lastImage());
    line(out, "updates", s.disableUpdates() ? "disabled in the MDB" : "enabled");
    if (s.detail() != null) {
      line(out, "detail", s.detail());
    }
    line(out, "last error", s.lastError());
    line(out, "generation", String.valueOf(s.generation()));
    line(out, "last poll", time(s.lastPollMillis()) + " (" + s.lastPollDurationMillis() + " ms)");
    if (r.objectsToFetch() > 0 || r.pendingChanges() > 0) {
      line(
          out,
          "pending",
          r.objectsToFetch()
              + " objects to fetch ("
              + s.bytesToFetch()
              + " bytes), "
              + r.pendingChanges()
              + " paths to change");
    }
    if (!r.pendingTriggers().isEmpty()) {
      line(out, "would restart", String.join(" ", r.pendingTriggers()));
    }
    if (r.safetyHeld()) {
      line(
          out,
          "safety",
          "unsafe update held; 'domtool clear-safety-shutoff " + host + "' lets it through");
    }
    SubdStatus st = r.subdStatus();
    if (st != null) {
      line(
          out,
          "last scan",
          time(st.lastScanEndMillis())
              + " ("
              + st.lastScanDurationMillis()
              + " ms, "
              + st.scanCount()
              + " scans)");
      line(
          out,
          "last update",
          time(st.lastUpdateEndMillis())
              + " (window "
              + st.lastUpdateWindowMillis()
              + " ms)"
              + (st.lastUpdateError() == null ? "" : ", error: " + st.lastUpdateError()));
      line(
          out,
          "cache",
          st.cacheObjects()
              + " objects, "
              + st.cacheBytes()
              + " bytes; "
              + st.freeBytes()
              + " bytes free");
      for (TriggerResult t : st.lastTriggerResults()) {
        line(out, "trigger", t.action() + " " + t.service() + ": exit " + t.exitStatus());
      }
    }
    for (String e : r.events()) {
      line(out, "event", e);
    }
    return 0;
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf(Locale.ROOT, "%-15s %s%n", label + ":", value == null ? "-" : value);
  }

  private static String time(long millis) {
    return millis == 0 ? "never" : Instant.ofEpochMilli(millis).toString();
  }
}
