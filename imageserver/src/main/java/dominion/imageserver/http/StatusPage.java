package dominion.imageserver.http;

import dominion.core.objectstore.ObjectStore;
import dominion.imageserver.db.ImageDatabase;
import dominion.imageserver.db.ImageLayout.Kind;
import dominion.proto.http.Html;
import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.SecurityReport;
import dominion.proto.rpc.ServerSecurity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /}: what the server holds, and its certificate (with a warning when it is due for renewal)
 * or a warning when it runs without TLS.
 */
public final class StatusPage implements Page {
  private static final int MAX_LISTED = 1000;

  private final ImageDatabase db;
  private final ObjectStore objects;
  private final ServerSecurity security;
  private final Clock clock;
  private final Instant started;

  public StatusPage(ImageDatabase db, ObjectStore objects, ServerSecurity security, Clock clock) {
    this.db = db;
    this.objects = objects;
    this.security = security;
    this.clock = clock;
    this.started = clock.instant();
  }

  @Override
  public PageResponse render(Map<String, String> query) {
    StringBuilder html = new StringBuilder(Html.header("imageserver"));
    if (security.isInsecure()) {
      html.append(
          "<p class=\"warn\">INSECURE MODE: this server runs with"
              + " --permit-insecure-mode. Connections are plain HTTP and anyone who can reach the"
              + " port may add and delete images.</p>");
    }
    html.append(SecurityReport.statusHtml(security, clock.instant()));
    List<String> images = db.listImages(null);
    List<String> directories = db.listDirectories(null);
    html.append("<p>Started ")
        .append(Html.escape(started))
        .append("</p>")
        .append("<table>")
        .append(row("images", images.size()))
        .append(row("directories", directories.size()))
        .append(row("deleted image names", db.count(Kind.DELETED)))
        .append(row("objects", objects.count()))
        .append(row("object bytes", objects.totalBytes() + " (" + mib(objects.totalBytes()) + ")"))
        .append("</table>");
    html.append("<h2>Images</h2>");
    list(html, images);
    html.append("<h2>Directories</h2>");
    list(html, directories);
    html.append("<p><a href=\"/metrics\">metrics</a></p>").append(Html.footer());
    return PageResponse.html(html.toString());
  }

  private static void list(StringBuilder html, List<String> names) {
    if (names.isEmpty()) {
      html.append("<p>none</p>");
      return;
    }
    html.append("<ul>");
    for (String name : names.subList(0, Math.min(names.size(), MAX_LISTED))) {
      html.append("<li>").append(Html.escape(name)).append("</li>");
    }
    html.append("</ul>");
    if (names.size() > MAX_LISTED) {
      html.append("<p>... and ").append(names.size() - MAX_LISTED).append(" more</p>");
    }
  }

  private static String row(String label, Object value) {
    return "<tr><th>" + Html.escape(label) + "</th><td>" + Html.escape(value) + "</td></tr>";
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
