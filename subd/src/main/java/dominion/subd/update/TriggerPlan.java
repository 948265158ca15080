package dominion.subd.update;

import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services an update stops, starts and reloads, given the paths it changes: a pure function
 * of the previous image's triggers, the new image's triggers and those paths.
 *
 * <ul>
 *   <li>Stopped: every service with a matching trigger in either image, unless all its matching
 *       triggers say DoReload. Stopped in the reverse of trigger order.
 *   <li>Started: every service with a matching trigger in the new image, in trigger order ({@link
 *       Triggers#matching}); "reload" instead of "start" when its trigger says DoReload and it was
 *       not stopped. A service only the old image names stays stopped.
 *   <li>Reboot: the first matching new trigger with DoReboot, or null.
 * </ul>
 *
 * @param stops services to stop, in order
 * @param starts services to start or reload, in order
 * @param rebootFor the service whose trigger asks for a reboot, or null
 */
public record TriggerPlan(List<String> stops, List<Start> starts, String rebootFor) {
  /** A service to bring back after the update. */
  public record Start(String service, String action) {}

  public static final TriggerPlan NONE = new TriggerPlan(List.of(), List.of(), null);

  public boolean isEmpty() {
    return stops.isEmpty() && starts.isEmpty() && rebootFor == null;
  }

  /** Plans the triggers for an update changing {@code paths}. */
  public static TriggerPlan of(
      List<Trigger> previous, List<Trigger> next, Collection<String> paths) {
    if (paths.isEmpty()) {
      return NONE;
    }
    List<Trigger> both = new ArrayList<>(previous);
    both.addAll(next);
    // Service -> whether any matching trigger needs a real restart.
    Map<String, Boolean> restart = new LinkedHashMap<>();
    for (Trigger t : Triggers.of(both).matching(paths)) {
      restart.merge(t.service(), !t.doReload(), Boolean::logicalOr);
    }
    List<String> stops = new ArrayList<>();
    restart.forEach(
        (service, needed) -> {
          if (needed) {
            stops.add(service);
          }
        });
    List<String> reversed = new ArrayList<>(stops.reversed());
    Set<String> stopped = new LinkedHashSet<>(stops);
    List<Start> starts = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String reboot = null;
    for (Trigger t : Triggers.of(next).matching(paths)) {
      if (reboot == null && t.doReboot()) {
        reboot = t.service();
      }
      if (seen.add(t.service())) {
        boolean reload = t.doReload() && !stopped.contains(t.service());
        starts.add(new Start(t.service(), reload ? "reload" : "start"));
      }
    }
    return new TriggerPlan(List.copyOf(reversed), List.copyOf(starts), reboot);
  }
}
