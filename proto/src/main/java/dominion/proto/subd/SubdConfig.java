package dominion.proto.subd;

import java.util.List;

/**
 * A sub's adjustable limits (the response of {@code Subd.GetConfiguration}).
 *
 * @param scanSpeedPercent share of the disk's read bandwidth the scan may use (1..100; 100 =
 *     unlimited); 0 in a SetConfiguration means "leave unchanged"
 * @param cpuPercent share of one CPU the scan may use (1..100; 100 = unlimited); 0 = unchanged
 * @param networkSpeedPercent share of the network bandwidth a Fetch may use by default (1..100); 0
 *     = unchanged
 * @param scanExclusions filter lines (regexes, see {@link dominion.core.image.Filter}) the scan
 *     skips, besides subd's own state directory; null in a SetConfiguration = unchanged, empty =
 *     exclude nothing
 */
public record SubdConfig(
    int scanSpeedPercent, int cpuPercent, int networkSpeedPercent, List<String> scanExclusions) {
  public SubdConfig {
    scanExclusions = scanExclusions == null ? null : List.copyOf(scanExclusions);
  }
}
