package dominion.dominator.rpc;

import dominion.dominator.herd.Herd;
import dominion.dominator.herd.SubState;
import dominion.dominator.herd.SubView;
import dominion.mdb.MdbStatus;
import dominion.proto.dominator.ListSubsResponse;
import dominion.proto.dominator.ShowSubResponse;
import dominion.proto.dominator.SubInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Builds the fleet's reports, for the RPCs and the status page alike. */
public final class Reports {
  private final Herd herd;
  private final Supplier<MdbStatus> mdb;

  public Reports(Herd herd, Supplier<MdbStatus> mdb) {
    this.herd = herd;
    this.mdb = mdb;
  }

  public Herd herd() {
    return herd;
  }

  public MdbStatus mdbStatus() {
    return mdb.get();
  }

  /**
   * The subs in {@code status} (null or empty for all) and the summary.
   *
   * @throws IllegalArgumentException for an unknown state name
   */
  public ListSubsResponse list(String status) {
    SubState only = status == null || status.isBlank() ? null : SubState.ofLabel(status);
    List<SubInfo> subs = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<SubView> views = herd.views();
    for (SubView v : views) {
      counts.merge(v.state().label(), 1, Integer::sum);
      if (only == null || v.state() == only) {
        subs.add(v.info());
      }
    }
    return new ListSubsResponse(
        subs, counts, views.size(), herd.controls().updatesSwitch(), mdb.get().lastError());
  }

  /** One sub in detail, or null if there is none of that name. */
  public ShowSubResponse show(String hostname) {
    SubView v = herd.view(hostname);
    if (v == null) {
      return null;
    }
    return new ShowSubResponse(
        v.info(),
        v.subdStatus(),
        v.objectsToFetch(),
        v.pendingChanges(),
        v.pendingTriggers(),
        v.safetyHeld(),
        herd.events(hostname));
  }
}
