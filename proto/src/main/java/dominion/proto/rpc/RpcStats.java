package dominion.proto.rpc;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of calls and failed calls per method, shown on metrics pages. Thread-safe. */
public final class RpcStats {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  void called(String method) {
    calls.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  void failed(String method) {
    errors.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  /** Prometheus lines for {@code <prefix>_rpc_calls_total} and {@code ..._rpc_errors_total}. */
  public String prometheus(String prefix) {
    StringBuilder out = new StringBuilder();
    out.append("# TYPE ").append(prefix).append("_rpc_calls_total counter\n");
    new TreeMap<>(calls)
        .forEach(
            (m, n) ->
                out.append(prefix)
                    .append("_rpc_calls_total{method=\"")
                    .append(m)
                    .append("\"} ")
                    .append(n.sum())
                    .append('\n'));
    out.append("# TYPE ").append(prefix).append("_rpc_errors_total counter\n");
    new TreeMap<>(errors)
        .forEach(
            (m, n) ->
                out.append(prefix)
                    .append("_rpc_errors_total{method=\"")
                    .append(m)
                    .append("\"} ")
                    .append(n.sum())
                    .append('\n'));
    return out.toString();
  }
}
