package dominion.subd.http;

import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.rpc.RpcStats;
import dominion.proto.rpc.SecurityReport;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.SubdStatus;
import dominion.subd.fetch.Fetcher;
import dominion.subd.rehearsal.Rehearsal;
import dominion.subd.scan.HashCache;
import dominion.subd.scan.Rehasher;
import dominion.subd.update.Updater;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /metrics} in Prometheus' text format. */
public final class MetricsPage implements Page {
  private static final String PREFIX = "dominion_subd";

  private final Supplier<SubdStatus> status;
  private final Supplier<RpcStats> stats;
  private final ServerSecurity security;
  private final HashCache hashCache;
  private final Rehasher rehasher;
  private final Fetcher fetcher;
  private final Updater updater;
  private final Supplier<Rehearsal.Outcome> rehearsal;

  public MetricsPage(
      Supplier<SubdStatus> status,
      Supplier<RpcStats> stats,
      ServerSecurity security,
      HashCache hashCache,
      Rehasher rehasher,
      Fetcher fetcher,
      Updater updater,
      Supplier<Rehearsal.Outcome> rehearsal) {
    this.status = status;
    this.stats = stats;
    this.security = security;
    this.hashCache = hashCache;
    this.rehasher = rehasher;
    this.fetcher = fetcher;
    this.updater = updater;
    this.rehearsal = rehearsal;
  }

  @Override
  public PageResponse render(Map<String, String> query) {
    SubdStatus s = status.get();
    StringBuilder out = new StringBuilder();
    metric(out, "generation", "gauge", "Current scan generation.", s.generation());
    metric(out, "scans_total", "counter", "Metadata passes finished.", s.scanCount());
    metric(
        out,
        "last_scan_duration_seconds",
        "gauge",
        "Duration of the last metadata pass.",
        s.lastScanDurationMillis() / 1000.0);
    metric(out, "hash_cache_entries", "gauge", "Files whose hash is cached.", hashCache.size());
    metric(
        out,
        "hash_cache_misses_total",
        "counter",
        "Files the metadata pass had to read.",
        hashCache.misses());
    metric(
        out,
        "full_rehash_passes_total",
        "counter",
        "Full re-hash passes finished.",
        rehasher.passes());
    metric(
        out,
        "full_rehash_mismatches_total",
        "counter",
        "Files whose content changed under unchanged metadata.",
        rehasher.mismatches());
    metric(
        out,
        "full_rehash_bytes_total",
        "counter",
        "Bytes read by the full re-hash.",
        rehasher.bytesRead());
    metric(out, "fetch_in_progress", "gauge", "1 while a fetch runs.", s.fetchInProgress() ? 1 : 0);
    metric(out, "fetched_objects_total", "counter", "Objects fetched.", fetcher.objectsFetched());
    metric(out, "fetched_bytes_total", "counter", "Bytes fetched.", fetcher.bytesFetched());
    metric(out, "fetch_failures_total", "counter", "Fetches that failed.", fetcher.failures());
    metric(
        out,
        "update_in_progress",
        "gauge",
        "1 while an update runs.",
        s.updateInProgress() ? 1 : 0);
    metric(out, "updates_total", "counter", "Updates run.", updater.updates());
    metric(out, "update_failures_total", "counter", "Updates that failed.", updater.failures());
    metric(
        out,
        "last_update_window_seconds",
        "gauge",
        "Last update's window from first service stop to last start.",
        s.lastUpdateWindowMillis() / 1000.0);
    Rehearsal.Outcome r = rehearsal.get();
    metric(
        out,
        "rehearsal_pending",
        "gauge",
        "1 until the rehearsal of fetches and updates after the first scan has ended.",
        r.pending() ? 1 : 0);
    metric(out, "rehearsal_rounds", "gauge", "Rehearsal rounds finished.", r.rounds());
    metric(out, "rehearsal_seconds", "gauge", "How long the rehearsal took.", r.millis() / 1000.0);
    metric(out, "cache_objects", "gauge", "Objects in the cache.", s.cacheObjects());
    metric(out, "cache_bytes", "gauge", "Bytes in the cache.", s.cacheBytes());
    metric(out, "free_bytes", "gauge", "Free bytes on the root's file system.", s.freeBytes());
    metric(
        out,
        "scan_speed_percent",
        "gauge",
        "Disk share of the scan.",
        s.config().scanSpeedPercent());
    metric(out, "cpu_percent", "gauge", "CPU share of the scan.", s.config().cpuPercent());
    metric(
        out,
        "network_speed_percent",
        "gauge",
        "Network share of a fetch.",
        s.config().networkSpeedPercent());
    out.append(stats.get().prometheus(PREFIX));
    out.append(SecurityReport.prometheus(security, PREFIX));
    return PageResponse.prometheus(out.toString());
  }

  private static void metric(
      StringBuilder out, String name, String type, String help, double value) {
    String full = PREFIX + "_" + name;
    out.append("# HELP ")
        .append(full)
        .append(' ')
        .append(help)
        .append('\n')
        .append("# TYPE ")
        .append(full)
        .append(' ')
        .append(type)
        .append('\n')
        .append(full)
        .append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
    out.append('\n');
  }
}
