package dominion.proto.dominator;

/**
 * The names of the dominator's RPCs, as certificates grant them ({@code Dominator.*}) and as they
 * appear in URLs ({@code POST /rpc/<name>}).
 */
public final class DominatorMethods {
  public static final String LIST_SUBS = "Dominator.ListSubs";
  public static final String SHOW_SUB = "Dominator.ShowSub";
  public static final String DISABLE_UPDATES = "Dominator.DisableUpdates";
  public static final String ENABLE_UPDATES = "Dominator.EnableUpdates";
  public static final String CLEAR_SAFETY_SHUTOFF = "Dominator.ClearSafetyShutoff";

  /** The dominator's standard port. */
  public static final int DEFAULT_PORT = 6970;

  private DominatorMethods() {}
}
