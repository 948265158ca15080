package dominion.proto.subd;

/**
 * One service command an update ran.
 *
 * @param service the service name (for a reboot: the service whose trigger asked for it)
 * @param action {@code stop}, {@code start}, {@code reload} or {@code reboot}
 * @param exitStatus the command's exit status (-1 if it could not be run or timed out)
 * @param output what the command wrote (stdout and stderr together, truncated); null = nothing
 */
public record TriggerResult(String service, String action, int exitStatus, String output) {}
