package dominion.subd;

import dominion.core.image.Filter;
import dominion.proto.subd.SubdConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * subd's adjustable limits and scan exclusions, changed at run time by SetConfiguration. The
 * exclusion of subd's own state directory is always added and cannot be removed. Thread-safe.
 */
public final class Settings {
  /** The scan exclusions of SYSTEM.md: scratch, logs, mail, spools and users' data. */
  public static final List<String> DEFAULT_EXCLUSIONS =
      List.of(
          "/tmp/.*",
          "/var/log/.*",
          "/var/mail/.*",
          "/var/spool/.*",
          "/var/tmp/.*",
          "/home/.*",
          "/data/.*");

  public static final int DEFAULT_SCAN_SPEED_PERCENT = 2;
  public static final int DEFAULT_CPU_PERCENT = 1;
  public static final int DEFAULT_NETWORK_SPEED_PERCENT = 10;

  private final String stateLine;
  private final AtomicReference<Snapshot> current;

  /** The settings in force, with the exclusion filter compiled once per change. */
  public record Snapshot(SubdConfig config, Filter exclusions) {}

  /**
   * @param initial the starting limits (each 1..100) and exclusions (without the state directory)
   * @param stateDirInRoot the state directory as a tree path when it lies inside the root, else
   *     null
   */
  public Settings(SubdConfig initial, String stateDirInRoot) {
    this.stateLine = stateDirInRoot == null ? null : Pattern.quote(stateDirInRoot) + "(/.*)?$";
    this.current = new AtomicReference<>(build(initial));
  }

  public Snapshot snapshot() {
    return current.get();
  }

  public SubdConfig config() {
    return current.get().config();
  }

  /** Compiled exclusions, the state directory's line included. */
  public Filter exclusions() {
    return current.get().exclusions();
  }

  /**
   * Applies a SetConfiguration: zero percentages and null exclusions keep the current value.
   *
   * @throws IllegalArgumentException on a percentage outside 0..100 or a bad exclusion regex
   */
  public SubdConfig update(SubdConfig change) {
    return current
        .updateAndGet(
            old -> {
              SubdConfig o = old.config();
              return build(
                  new SubdConfig(
                      pick(change.scanSpeedPercent(), o.scanSpeedPercent(), "scanSpeedPercent"),
                      pick(change.cpuPercent(), o.cpuPercent(), "cpuPercent"),
                      pick(
                          change.networkSpeedPercent(),
                          o.networkSpeedPercent(),
                          "networkSpeedPercent"),
                      change.scanExclusions() == null
                          ? o.scanExclusions()
                          : change.scanExclusions()));
            })
        .config();
  }

  private static int pick(int wanted, int old, String name) {
    if (wanted < 0 || wanted > 100) {
      throw new IllegalArgumentException("bad " + name + " " + wanted + ": want 0..100");
    }
    return wanted == 0 ? old : wanted;
  }

  private Snapshot build(SubdConfig config) {
    for (int p :
        new int[] {config.scanSpeedPercent(), config.cpuPercent(), config.networkSpeedPercent()}) {
      if (p < 1 || p > 100) {
        throw new IllegalArgumentException("bad limit " + p + "%: want 1..100");
      }
    }
    List<String> lines = new ArrayList<>();
    for (String line :
        config.scanExclusions() == null ? List.<String>of() : config.scanExclusions()) {
      if (!line.equals(stateLine)) {
        lines.add(line);
      }
    }
    if (stateLine != null) {
      lines.add(stateLine);
    }
    SubdConfig effective =
        new SubdConfig(
            config.scanSpeedPercent(), config.cpuPercent(), config.networkSpeedPercent(), lines);
    return new Snapshot(effective, Filter.parse(lines));
  }
}
