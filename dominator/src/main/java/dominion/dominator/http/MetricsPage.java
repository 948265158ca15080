package dominion.dominator.http;

import dominion.dominator.herd.Herd;
import dominion.dominator.herd.SubState;
import dominion.mdb.MdbStatus;
import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.SecurityReport;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /metrics}: subs per state, the switches, the MDB, the RPC counters and the certificate's
 * expiry.
 */
public final class MetricsPage implements Page {
  private final Herd herd;
  private final Supplier<MdbStatus> mdb;
  private final RpcServer server;
  private final Supplier<Integer> imagesLoaded;

  public MetricsPage(
      Herd herd, Supplier<MdbStatus> mdb, RpcServer server, Supplier<Integer> imagesLoaded) {
    this.herd = herd;
    this.mdb = mdb;
    this.server = server;
    this.imagesLoaded = imagesLoaded;
  }

  @Override
  public PageResponse render(Map<String, String> query) {
    StringBuilder out = new StringBuilder();
    Map<SubState, Integer> counts = herd.counts();
    out.append("# HELP dominator_subs Subs in each state.\n# TYPE dominator_subs gauge\n");
    for (SubState s : SubState.values()) {
      out.append("dominator_subs{state=\"")
          .append(s.label())
          .append("\"} ")
          .append(counts.getOrDefault(s, 0))
          .append('\n');
    }
    MdbStatus m = mdb.get();
    out.append("# TYPE dominator_subs_total gauge\ndominator_subs_total ")
        .append(herd.size())
        .append('\n')
        .append("# TYPE dominator_updates_disabled gauge\ndominator_updates_disabled ")
        .append(herd.controls().updatesDisabled() ? 1 : 0)
        .append('\n')
        .append("# TYPE dominator_mdb_machines gauge\ndominator_mdb_machines ")
        .append(m.machines())
        .append('\n')
        .append("# TYPE dominator_mdb_good gauge\ndominator_mdb_good ")
        .append(m.lastError() == null ? 1 : 0)
        .append('\n')
        .append("# TYPE dominator_mdb_loads_total counter\ndominator_mdb_loads_total ")
        .append(m.loads())
        .append('\n')
        .append("# TYPE dominator_images_loaded gauge\ndominator_images_loaded ")
        .append(imagesLoaded.get())
        .append('\n')
        .append("# TYPE dominator_updates_in_flight gauge\ndominator_updates_in_flight ")
        .append(herd.controls().updatesInFlight(herd.config().maxUpdatesInFlight()))
        .append('\n');
    out.append(herd.stats().prometheus());
    out.append(server.stats().prometheus("dominator"));
    out.append(SecurityReport.prometheus(server.security(), "dominator"));
    return PageResponse.prometheus(out.toString());
  }
}
