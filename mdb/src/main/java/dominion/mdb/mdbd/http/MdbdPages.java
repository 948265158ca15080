package dominion.mdb.mdbd.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import dominion.mdb.mdbd.MdbMerge;
import dominion.mdb.mdbd.MdbdStatus;
import dominion.proto.http.Html;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.SecurityReport;
import dominion.proto.rpc.ServerSecurity;
import java.time.Instant;
import java.util.Map;

/** mdbd's pages: the status page at {@code /}, {@code /metrics} and {@code /healthz}. */
public final class MdbdPages {
  private final MdbMerge merge;
  private final ObjectMapper mapper = Json.mapper();
  private volatile ServerSecurity security = ServerSecurity.insecure();

  public MdbdPages(MdbMerge merge) {
    this.merge = merge;
  }

  /** Registers the pages on {@code server}. */
  public void register(RpcServer server) {
    security = server.security();
    server.page("/", this::status);
    server.page(
        "/metrics",
        q ->
            PageResponse.prometheus(
                metrics(merge.status()) + SecurityReport.prometheus(security, "mdbd")));
    server.page("/healthz", q -> PageResponse.text("ok\n"));
  }

  private PageResponse status(Map<String, String> query) throws Exception {
    MdbdStatus s = merge.status();
    if ("json".equals(query.get("format"))) {
      return PageResponse.json(mapper.writeValueAsBytes(s));
    }
    StringBuilder html = new StringBuilder(Html.header("mdbd"));
    if (security.isInsecure()) {
      html.append(
          "<p class=\"warn\">INSECURE MODE: mdbd runs with --permit-insecure-mode. This page is"
              + " served in plain HTTP, without TLS.</p>");
    }
    html.append(SecurityReport.statusHtml(security, Instant.now()));
    html.append("<p>Sources file: ")
        .append(Html.escape(s.sourcesFile()))
        .append("<br>MDB file: ")
        .append(Html.escape(s.mdbFile()))
        .append("<br>Machines: ")
        .append(s.machines())
        .append("<br>Cycles: ")
        .append(s.cycles())
        .append(", last ")
        .append(time(s.lastCycleMillis()))
        .append("<br>Writes: ")
        .append(s.writes())
        .append(", last ")
        .append(time(s.lastWriteMillis()))
        .append("</p>");
    if (s.lastError() != null) {
      html.append("<p class=\"warn\">Not writing: ")
          .append(Html.escape(s.lastError()))
          .append("</p>");
    }
    html.append("<table><tr><th>source</th><th>machines</th><th>error</th></tr>");
    for (MdbdStatus.SourceStatus source : s.sources()) {
      html.append("<tr><td>")
          .append(Html.escape(source.source()))
          .append("</td><td>")
          .append(source.machines())
          .append("</td><td>")
          .append(source.error() == null ? "" : Html.escape(source.error()))
          .append("</td></tr>");
    }
    html.append(
            "</table><p><a href=\"/?format=json\">JSON</a> <a href=\"/metrics\">metrics</a>"
                + "</p>")
        .append(Html.footer());
    return PageResponse.html(html.toString());
  }

  static String metrics(MdbdStatus s) {
    return "# TYPE mdbd_machines gauge\nmdbd_machines "
        + s.machines()
        + "\n"
        + "# TYPE mdbd_cycles_total counter\nmdbd_cycles_total "
        + s.cycles()
        + "\n"
        + "# TYPE mdbd_writes_total counter\nmdbd_writes_total "
        + s.writes()
        + "\n"
        + "# TYPE mdbd_source_errors gauge\nmdbd_source_errors "
        + s.sources().stream().filter(x -> x.error() != null).count()
        + "\n"
        + "# TYPE mdbd_last_cycle_ok gauge\nmdbd_last_cycle_ok "
        + (s.lastError() == null ? 1 : 0)
        + "\n";
  }

  private static String time(long millis) {
    return millis == 0 ? "never" : Instant.ofEpochMilli(millis).toString();
  }
}
