package dominion.dominator.herd;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The herd's settings.
 *
 * @param imageServerAddress {@code host:port} of the imageserver subs fetch from
 * @param pollInterval time between polls of one sub in a steady state
 * @param minBackoff first retry delay after a failure; doubles per failure
 * @param maxBackoff longest retry delay
 * @param maxPollsInFlight polls running at once, fleet-wide; a poll that brings a tree holds its
 *     permit until the tree is judged, so this also bounds the trees held in memory
 * @param maxDiffsInFlight diff computations running at once (each holds a sub's whole tree)
 * @param maxUpdatesInFlight updates running at once, fleet-wide
 * @param maxHighImpactUpdatesInFlight updates whose triggers are HighImpact or reboot, at once
 * @param imageRetry how long "image not ready" is remembered before the imageserver is asked again
 * @param fetchSpeedPercent share of a sub's network bandwidth a fetch may use (0 = the sub's
 *     default)
 * @param safetyMinFiles the safety check holds updates only of subs with at least this many files
 *     where the image manages: a blank-ish new host is brought into its image at once (SYSTEM.md
 *     section 4), and removing a handful of files is not the mass deletion the check guards
 *     against. 1 checks every sub with a file.
 */
public record HerdConfig(
    String imageServerAddress,
    Duration pollInterval,
    Duration minBackoff,
    Duration maxBackoff,
    int maxPollsInFlight,
    int maxDiffsInFlight,
    int maxUpdatesInFlight,
    int maxHighImpactUpdatesInFlight,
    Duration imageRetry,
    int fetchSpeedPercent,
    int safetyMinFiles) {

  /** The default of {@link #safetyMinFiles}. */
  public static final int DEFAULT_SAFETY_MIN_FILES = 16;

  /** Defaults for a fleet: a 5-second poll cycle, backoff from 1 s to 1 min. */
  public static HerdConfig defaults(String imageServerAddress) {
    return new HerdConfig(
        imageServerAddress,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        128,
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        100,
        5,
        Duration.ofSeconds(5),
        0,
        DEFAULT_SAFETY_MIN_FILES);
  }

  public HerdConfig withPollInterval(Duration d) {
    return edit(f -> f.pollInterval = d);
  }

  public HerdConfig withBackoff(Duration min, Duration max) {
    return edit(
        f -> {
          f.minBackoff = min;
          f.maxBackoff = max;
        });
  }

  public HerdConfig withUpdateLimits(int updates, int highImpact) {
    return edit(
        f -> {
          f.maxUpdatesInFlight = updates;
          f.maxHighImpactUpdatesInFlight = highImpact;
        });
  }

  public HerdConfig withImageRetry(Duration d) {
    return edit(f -> f.imageRetry = d);
  }

  public HerdConfig withMaxPollsInFlight(int n) {
    return edit(f -> f.maxPollsInFlight = n);
  }

  public HerdConfig withSafetyMinFiles(int n) {
    return edit(f -> f.safetyMinFiles = n);
  }

  // A copy with what change sets changed.
  private HerdConfig edit(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  // The fields of a config, to change some of them.
  private static final class Fields {
    final String imageServerAddress;
    Duration pollInterval;
    Duration minBackoff;
    Duration maxBackoff;
    int maxPollsInFlight;
    final int maxDiffsInFlight;
    int maxUpdatesInFlight;
    int maxHighImpactUpdatesInFlight;
    Duration imageRetry;
    final int fetchSpeedPercent;
    int safetyMinFiles;

    Fields(HerdConfig c) {
      imageServerAddress = c.imageServerAddress;
      pollInterval = c.pollInterval;
      minBackoff = c.minBackoff;
      maxBackoff = c.maxBackoff;
      maxPollsInFlight = c.maxPollsInFlight;
      maxDiffsInFlight = c.maxDiffsInFlight;
      maxUpdatesInFlight = c.maxUpdatesInFlight;
      maxHighImpactUpdatesInFlight = c.maxHighImpactUpdatesInFlight;
      imageRetry = c.imageRetry;
      fetchSpeedPercent = c.fetchSpeedPercent;
      safetyMinFiles = c.safetyMinFiles;
    }

    HerdConfig build() {
      return new HerdConfig(
          imageServerAddress,
          pollInterval,
          minBackoff,
          maxBackoff,
          maxPollsInFlight,
          maxDiffsInFlight,
          maxUpdatesInFlight,
          maxHighImpactUpdatesInFlight,
          imageRetry,
          fetchSpeedPercent,
          safetyMinFiles);
    }
  }
}
