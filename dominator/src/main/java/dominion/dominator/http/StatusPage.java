package dominion.dominator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import dominion.dominator.herd.SubState;
import dominion.dominator.rpc.Reports;
import dominion.mdb.MdbStatus;
import dominion.proto.dominator.ListSubsResponse;
import dominion.proto.dominator.SubInfo;
import dominion.proto.dominator.UpdatesControl;
import dominion.proto.http.Html;
import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.SecurityReport;
import dominion.proto.rpc.ServerSecurity;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /}: the fleet summary and a table of subs, filterable with {@code ?status=STATE}; the same
 * as JSON (the {@code Dominator.ListSubs} response) with {@code ?format=json} or at {@code /json}.
 */
public final class StatusPage implements Page {
  private static final int MAX_ROWS = 5000;

  private final Reports reports;
  private final ServerSecurity security;
  private final Clock clock;
  private final Instant started;
  private final ObjectMapper mapper = Json.mapper();

  public StatusPage(Reports reports, ServerSecurity security, Clock clock) {
    this.reports = reports;
    this.security = security;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** The JSON form, for {@code /json}. */
  public Page json() {
    return query -> json(query.get("status"));
  }

  private PageResponse json(String status) throws Exception {
    try {
      return PageResponse.json(mapper.writeValueAsBytes(reports.list(status)));
    } catch (IllegalArgumentException e) {
      return new PageResponse(
          400,
          "text/plain; charset=utf-8",
          (e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Override
  public PageResponse render(Map<String, String> query) throws Exception {
    String status = query.get("status");
    if ("json".equals(query.get("format"))) {
      return json(status);
    }
    ListSubsResponse list;
    String filterError = null;
    try {
      list = reports.list(status);
    } catch (IllegalArgumentException e) {
      filterError = e.getMessage();
      list = reports.list(null);
      status = null;
    }
    StringBuilder html = new StringBuilder(Html.header("dominator"));
    if (security.isInsecure()) {
      html.append(
          "<p class=\"warn\">INSECURE MODE: this dominator runs with"
              + " --permit-insecure-mode. Connections are plain HTTP and anyone who can reach the"
              + " port may disable and enable updates.</p>");
    }
    html.append(SecurityReport.statusHtml(security, clock.instant()));
    banners(html, list.updates(), reports.mdbStatus(), filterError);
    summary(html, list, status);
    table(html, list, status);
    html.append(
            "<p><a href=\"/?format=json\">JSON</a> <a href=\"/metrics\">metrics</a>"
                + " &middot; started ")
        .append(Html.escape(started))
        .append("</p>")
        .append(Html.footer());
    return PageResponse.html(html.toString());
  }

  private void banners(
      StringBuilder html, UpdatesControl updates, MdbStatus mdb, String filterError) {
    if (updates.disabled()) {
      html.append("<p class=\"warn\">UPDATES DISABLED since ")
          .append(Html.escape(Instant.ofEpochMilli(updates.sinceMillis())))
          .append(" by ")
          .append(Html.escape(updates.by()))
          .append(": ")
          .append(Html.escape(updates.reason()))
          .append("</p>");
    }
    if (mdb.lastError() != null) {
      html.append("<p class=\"warn\">MDB: ")
          .append(Html.escape(mdb.lastError()))
          .append("; keeping the last good MDB (")
          .append(mdb.machines())
          .append(" machines)</p>");
    }
    if (filterError != null) {
      html.append("<p class=\"warn\">").append(Html.escape(filterError)).append("</p>");
    }
    html.append("<p>MDB ")
        .append(Html.escape(mdb.file()))
        .append(": ")
        .append(mdb.machines())
        .append(" machines, loaded ")
        .append(time(mdb.loadedAtMillis()))
        .append("</p>");
  }

  private static void summary(StringBuilder html, ListSubsResponse list, String status) {
    html.append("<p>").append(list.total()).append(" subs:");
    for (SubState s : SubState.values()) {
      Integer n = list.counts().get(s.label());
      if (n != null) {
        boolean current = s.label().equals(status);
        html.append(" <a href=\"/?status=")
            .append(s.label())
            .append("\">")
            .append(current ? "<b>" : "")
            .append(s.label())
            .append(" ")
            .append(n)
            .append(current ? "</b>" : "")
            .append("</a>");
      }
    }
    if (status != null) {
      html.append(" &middot; <a href=\"/\">all</a>");
    }
    html.append("</p>");
  }

  private void table(StringBuilder html, ListSubsResponse list, String status) {
    html.append(
        "<table><tr><th>sub</th><th>state</th><th>since</th><th>required</th>"
            + "<th>planned</th><th>last image</th><th>last scan</th><th>poll ms</th>"
            + "<th>update window ms</th><th>last error</th></tr>");
    long now = clock.millis();
    int rows = 0;
    for (SubInfo s : list.subs()) {
      if (rows++ == MAX_ROWS) {
        break;
      }
      html.append("<tr><td>")
          .append(Html.escape(s.hostname()))
          .append("<br><small>")
          .append(Html.escape(s.address()))
          .append("</small></td><td>")
          .append(Html.escape(s.state()))
          .append(s.detail() == null ? "" : "<br><small>" + Html.escape(s.detail()) + "</small>")
          .append("</td><td>")
          .append(ago(now, s.stateSinceMillis()))
          .append("</td><td>")
          .append(orDash(s.requiredImage()))
          .append(s.disableUpdates() ? " (updates disabled)" : "")
          .append("</td><td>")
          .append(orDash(s.plannedImage()))
          .append(s.plannedState() == null ? "" : " (" + Html.escape(s.plannedState()) + ")")
          .append("</td><td>")
          .append(orDash(s.lastImage()))
          .append("</td><td>")
          .append(s.lastScanEndMillis() == 0 ? "-" : ago(now, s.lastScanEndMillis()))
          .append("</td><td>")
          .append(s.lastPollDurationMillis())
          .append("</td><td>")
          .append(s.lastUpdateWindowMillis())
          .append("</td><td>")
          .append(s.lastError() == null ? "" : Html.escape(s.lastError()))
          .append("</td></tr>");
    }
    html.append("</table>");
    if (list.subs().size() > MAX_ROWS) {
      html.append("<p>... and ")
          .append(list.subs().size() - MAX_ROWS)
          .append(" more (filter by state, or use /json)</p>");
    }
  }

  private static String orDash(String s) {
    return s == null ? "-" : Html.escape(s);
  }

  private static String ago(long now, long then) {
    long s = Math.max(0, (now - then) / 1000);
    return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
  }

  private static String time(long millis) {
    return millis == 0 ? "never" : Instant.ofEpochMilli(millis).toString();
  }
}
