package dominion.dominator.herd;

import java.util.Locale;

/**
 * The states of a sub, as the status page, metrics and {@code domtool} show them (the label is the
 * enum name in lower case with dashes: {@code IMAGE_NOT_READY} is {@code image-not-ready}).
 */
public enum SubState {
  /** Not polled yet. */
  CONNECTING,
  /** The last poll could not reach subd (refused, timed out, no route); retried with backoff. */
  UNREACHABLE,
  /** subd answered the poll with an error or a malformed response; retried with backoff. */
  POLL_FAILED,
  /** subd has not finished its first scan. */
  WAITING_FOR_SCAN,
  /** The MDB names no RequiredImage for the machine: it is left alone. */
  NO_REQUIRED_IMAGE,
  /** The required image is not on the imageserver (yet), or cannot be loaded. */
  IMAGE_NOT_READY,
  /** Changes are held: updates are disabled fleet-wide or for this machine. */
  UPDATES_DISABLED,
  /** The update would delete too much; held until an operator clears it. */
  UNSAFE_UPDATE,
  /** The sub lacks the free space for the objects it must fetch. */
  INSUFFICIENT_SPACE,
  /** The sub is fetching objects from the imageserver. */
  FETCHING,
  /** The last fetch failed; retried with backoff. */
  FETCH_FAILED,
  /** Ready to update, waiting for one of the fleet's update slots. */
  UPDATE_QUEUED,
  /** The sub is applying an update. */
  UPDATING,
  /** The last update failed; retried with backoff. */
  UPDATE_FAILED,
  /** The update is done; waiting for a scan that started after it. */
  WAITING_FOR_FRESH_SCAN,
  /** The sub matches its required image. */
  SYNCED;

  /**
   * True for the states that are a problem someone may have to look at (the sub is not converging
   * by itself): their detail is the sub's last error, and they are logged as warnings.
   */
  public boolean problem() {
    return switch (this) {
      case UNREACHABLE,
          POLL_FAILED,
          IMAGE_NOT_READY,
          UNSAFE_UPDATE,
          INSUFFICIENT_SPACE,
          FETCH_FAILED,
          UPDATE_FAILED ->
          true;
      default -> false;
    };
  }

  /** The state's name as shown: lower case with dashes. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The state with this label.
   *
   * @throws IllegalArgumentException naming the label and the valid ones
   */
  public static SubState ofLabel(String label) {
    for (SubState s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (SubState s : values()) {
      valid.append(valid.isEmpty() ? "" : ", ").append(s.label());
    }
    throw new IllegalArgumentException("unknown sub state \"" + label + "\"; want one of " + valid);
  }
}
