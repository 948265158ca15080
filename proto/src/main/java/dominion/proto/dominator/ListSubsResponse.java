package dominion.proto.dominator;

import java.util.List;
import java.util.Map;

/**
 * The subs, and the fleet summary.
 *
 * @param subs the subs asked for, sorted by hostname; never null
 * @param counts how many subs are in each state (all subs, whatever the filter); states with none
 *     are left out; never null
 * @param total all subs
 * @param updates the fleet-wide updates switch; never null
 * @param mdbError why the MDB file on disk is not in force (the last good one is); null when it is
 */
public record ListSubsResponse(
    List<SubInfo> subs,
    Map<String, Integer> counts,
    int total,
    UpdatesControl updates,
    String mdbError) {
  public ListSubsResponse {
    subs = subs == null ? List.of() : List.copyOf(subs);
    counts = counts == null ? Map.of() : Map.copyOf(counts);
  }
}
