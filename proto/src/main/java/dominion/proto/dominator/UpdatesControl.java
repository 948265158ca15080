package dominion.proto.dominator;

/**
 * The fleet-wide switch that holds every change (polling goes on).
 *
 * @param disabled true while updates are disabled
 * @param reason why it was last switched (either way); null if it never was
 * @param by who switched it ({@code user@address}); null if nobody did
 * @param sinceMillis when it was last switched; 0 = never
 */
public record UpdatesControl(boolean disabled, String reason, String by, long sinceMillis) {}
