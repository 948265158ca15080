package dominion.proto.subd;

import java.util.List;

/**
 * What a sub reports about itself in every poll. Times are milliseconds since the epoch; 0 means
 * never.
 *
 * @param generation the current scan generation (bumped only when a scan finds a different tree)
 * @param scanCount scans finished since start
 * @param lastScanEndMillis when the last scan ended
 * @param lastScanDurationMillis how long it took
 * @param lastImage the image the sub was last successfully updated to; null = never updated
 * @param fetchInProgress a Fetch is running
 * @param updateInProgress an Update is running
 * @param lastFetchError why the last Fetch failed; null when it succeeded (or none ran)
 * @param lastUpdateError why the last Update failed; null when it succeeded (or none ran)
 * @param lastUpdateWindowMillis the last update's window from first service stop to last start (the
 *     time it spent writing the tree when no service was matched)
 * @param lastUpdateEndMillis when the last Update ended (success or failure)
 * @param lastFetchEndMillis when the last Fetch ended (success or failure)
 * @param freeBytes free bytes on the file system of the root
 * @param cacheObjects objects in the sub's cache
 * @param cacheBytes their total size
 * @param config the current limits and exclusions; never null
 * @param lastTriggerResults the service commands the last Update ran, in order; empty if none
 * @param startTimeMillis when subd started
 */
public record SubdStatus(
    long generation,
    long scanCount,
    long lastScanEndMillis,
    long lastScanDurationMillis,
    String lastImage,
    boolean fetchInProgress,
    boolean updateInProgress,
    String lastFetchError,
    String lastUpdateError,
    long lastUpdateWindowMillis,
    long lastUpdateEndMillis,
    long lastFetchEndMillis,
    long freeBytes,
    long cacheObjects,
    long cacheBytes,
    SubdConfig config,
    List<TriggerResult> lastTriggerResults,
    long startTimeMillis) {
  public SubdStatus {
    lastTriggerResults = lastTriggerResults == null ? List.of() : List.copyOf(lastTriggerResults);
  }

  /**
   * When the last scan started, on the sub's clock. Only a scan that started after an update ended
   * shows all of that update: the dominator judges an update by the first such scan.
   */
  public long lastScanStartMillis() {
    return lastScanEndMillis - lastScanDurationMillis;
  }
}
