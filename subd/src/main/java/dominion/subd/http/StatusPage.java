package dominion.subd.http;

import dominion.proto.http.Html;
import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.SecurityReport;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.SubdStatus;
import dominion.proto.subd.TriggerResult;
import dominion.subd.rehearsal.Rehearsal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The HTML status page at {@code /}. */
public final class StatusPage implements Page {
  private final Supplier<SubdStatus> status;
  private final Supplier<Path> root;
  private final ServerSecurity security;
  private final Supplier<String> scanError;
  private final Supplier<Rehearsal.Outcome> rehearsal;

  public StatusPage(
      Supplier<SubdStatus> status,
      Supplier<Path> root,
      ServerSecurity security,
      Supplier<String> scanError,
      Supplier<Rehearsal.Outcome> rehearsal) {
    this.status = status;
    this.root = root;
    this.security = security;
    this.scanError = scanError;
    this.rehearsal = rehearsal;
  }

  @Override
  public PageResponse render(Map<String, String> query) {
    SubdStatus s = status.get();
    StringBuilder h = new StringBuilder(Html.header("subd"));
    if (security.isInsecure()) {
      h.append(
          "<p class=\"warn\">INSECURE: running with --permit-insecure-mode (plain HTTP,"
              + " no client certificates; anyone who can reach this port may change this host)</p>");
    }
    h.append(SecurityReport.statusHtml(security, Instant.now()));
    h.append("<table>");
    row(h, "root", root.get());
    row(h, "image", s.lastImage() == null ? "(never updated)" : s.lastImage());
    row(h, "generation", s.generation());
    row(h, "scans", s.scanCount());
    row(h, "last scan", time(s.lastScanEndMillis()) + " (" + s.lastScanDurationMillis() + " ms)");
    if (scanError.get() != null) {
      errorRow(h, "scan error", scanError.get());
    }
    row(
        h,
        "limits",
        "scan "
            + s.config().scanSpeedPercent()
            + "% of disk, "
            + s.config().cpuPercent()
            + "% of a CPU; fetch "
            + s.config().networkSpeedPercent()
            + "% of network");
    row(h, "scan exclusions", String.join("  ", s.config().scanExclusions()));
    row(h, "fetch", s.fetchInProgress() ? "in progress" : "idle");
    row(h, "last fetch", time(s.lastFetchEndMillis()));
    if (s.lastFetchError() != null) {
      errorRow(h, "last fetch error", s.lastFetchError());
    }
    row(h, "update", s.updateInProgress() ? "in progress" : "idle");
    row(
        h,
        "last update",
        time(s.lastUpdateEndMillis()) + " (window " + s.lastUpdateWindowMillis() + " ms)");
    if (s.lastUpdateError() != null) {
      errorRow(h, "last update error", s.lastUpdateError());
    }
    row(h, "cache", s.cacheObjects() + " objects, " + s.cacheBytes() + " bytes");
    row(h, "free space", s.freeBytes() + " bytes");
    row(h, "started", time(s.startTimeMillis()));
    Rehearsal.Outcome r = rehearsal.get();
    String said =
        r.state().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (r.millis() > 0 ? " in " + r.millis() + " ms" : "")
            + (r.detail().isEmpty() ? "" : ": " + r.detail());
    if (r.state() == Rehearsal.State.FAILED) {
      errorRow(h, "rehearsal", said);
    } else {
      row(h, "rehearsal", said);
    }
    h.append("</table>");
    if (!s.lastTriggerResults().isEmpty()) {
      h.append(
          "<h2>Last update's service commands</h2><table><tr><th>service</th>"
              + "<th>action</th><th>exit</th><th>output</th></tr>");
      for (TriggerResult t : s.lastTriggerResults()) {
        h.append("<tr><td>")
            .append(Html.escape(t.service()))
            .append("</td><td>")
            .append(Html.escape(t.action()))
            .append("</td><td")
            .append(t.exitStatus() == 0 ? ">" : " class=\"warn\">")
            .append(t.exitStatus())
            .append("</td><td><pre>")
            .append(Html.escape(t.output() == null ? "" : t.output()))
            .append("</pre></td></tr>");
      }
      h.append("</table>");
    }
    h.append("<p><a href=\"/metrics\">metrics</a></p>").append(Html.footer());
    return PageResponse.html(h.toString());
  }

  private static String time(long millis) {
    return millis == 0 ? "never" : Instant.ofEpochMilli(millis).toString();
  }

  private static void row(StringBuilder h, String name, Object value) {
    h.append("<tr><th>")
        .append(Html.escape(name))
        .append("</th><td>")
        .append(Html.escape(value))
        .append("</td></tr>");
  }

  private static void errorRow(StringBuilder h, String name, Object value) {
    h.append("<tr><th>")
        .append(Html.escape(name))
        .append("</th><td class=\"warn\">")
        .append(Html.escape(value))
        .append("</td></tr>");
  }
}
