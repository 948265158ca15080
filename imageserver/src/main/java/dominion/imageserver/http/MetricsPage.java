package dominion.imageserver.http;

import dominion.core.objectstore.ObjectStore;
import dominion.imageserver.db.ImageDatabase;
import dominion.imageserver.db.ImageLayout.Kind;
import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.RpcStats;
import dominion.proto.rpc.SecurityReport;
import dominion.proto.rpc.ServerSecurity;
import java.util.Map;

/** {@code /metrics} in Prometheus' text format. */
public final class MetricsPage implements Page {
  private static final String PREFIX = "dominion_imageserver";

  private final ImageDatabase db;
  private final ObjectStore objects;
  private final RpcStats stats;
  private final ServerSecurity security;

  public MetricsPage(
      ImageDatabase db, ObjectStore objects, RpcStats stats, ServerSecurity security) {
    this.db = db;
    this.objects = objects;
    this.stats = stats;
    this.security = security;
  }

  @Override
  public PageResponse render(Map<String, String> query) {
    StringBuilder out = new StringBuilder();
    gauge(out, "images", "Images stored.", db.count(Kind.IMAGE));
    gauge(out, "directories", "Image directories.", db.count(Kind.DIRECTORY));
    gauge(out, "deleted_images", "Names of deleted images (never reused).", db.count(Kind.DELETED));
    gauge(out, "objects", "Objects stored.", objects.count());
    gauge(out, "object_bytes", "Total bytes of stored objects.", objects.totalBytes());
    gauge(
        out,
        "insecure",
        "1 if the server runs with --permit-insecure-mode.",
        security.isInsecure() ? 1 : 0);
    out.append(stats.prometheus(PREFIX));
    out.append(SecurityReport.prometheus(security, PREFIX));
    return PageResponse.prometheus(out.toString());
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    String full = PREFIX + "_" + name;
    out.append("# HELP ")
        .append(full)
        .append(' ')
        .append(help)
        .append('\n')
        .append("# TYPE ")
        .append(full)
        .append(" gauge\n")
        .append(full)
        .append(' ')
        .append(value)
        .append('\n');
  }
}
