package dominion.proto.dominator;

/**
 * One sub as the dominator sees it. Times are milliseconds since the epoch (0 = never); the sub's
 * own times ({@code lastScanEndMillis}, ...) are on the sub's clock.
 *
 * @param hostname the machine's name in the MDB
 * @param address {@code host:port} the dominator dials
 * @param state the sub's state, one of {@link SubStates#ALL} (e.g. {@code synced}, {@code
 *     unreachable}, {@code updates-disabled})
 * @param stateSinceMillis when it entered that state
 * @param requiredImage the MDB's RequiredImage; null = none
 * @param plannedImage the MDB's PlannedImage; null = none
 * @param lastImage the image the sub last reported being updated to; null = never updated (or never
 *     polled)
 * @param disableUpdates the MDB's DisableUpdates for this machine
 * @param generation the sub's scan generation at the last poll; 0 = none yet
 * @param lastPollMillis when the last poll ended (success or failure)
 * @param lastPollDurationMillis how long the last successful poll took
 * @param lastScanEndMillis when the sub's last scan ended (sub's clock)
 * @param lastUpdateWindowMillis the sub's last update window (first service stop to last start)
 * @param bytesToFetch bytes of objects the sub still has to fetch for its required image; 0 when
 *     none or unknown
 * @param plannedState the planned image's pre-fetch: {@code none}, {@code not-ready}, {@code
 *     fetching}, {@code fetched}, {@code failed}, or {@code unknown} (not worked out yet); null
 *     when there is no planned image, or it is the required image
 * @param lastError the sub's last problem (unreachable, failed update, held as unsafe, ...); kept
 *     while the sub works its way back, cleared once it is synced; null when there is none
 * @param detail what the current state is about when it is not a problem (objects being fetched,
 *     why an update waits or is held); null when there is nothing to add
 */
public record SubInfo(
    String hostname,
    String address,
    String state,
    long stateSinceMillis,
    String requiredImage,
    String plannedImage,
    String lastImage,
    boolean disableUpdates,
    long generation,
    long lastPollMillis,
    long lastPollDurationMillis,
    long lastScanEndMillis,
    long lastUpdateWindowMillis,
    long bytesToFetch,
    String plannedState,
    String lastError,
    String detail) {}
