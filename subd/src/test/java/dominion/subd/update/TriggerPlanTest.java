package dominion.subd.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.image.Trigger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TriggerPlanTest {
  private static Trigger restart(String service, String sortName, String... lines) {
    return new Trigger(List.of(lines), service, false, false, false, sortName);
  }

  private static Trigger reload(String service, String... lines) {
    return new Trigger(List.of(lines), service, true, false, false, "");
  }

  private static TriggerPlan.Start start(String service) {
    return new TriggerPlan.Start(service, "start");
  }

  @Test
  void nothingMatchedRunsNothing() {
    TriggerPlan plan =
        TriggerPlan.of(
            List.of(), List.of(restart("sshd", "", "/etc/ssh/.*")), Set.of("/etc/passwd"));
    assertTrue(plan.isEmpty());
  }

  @Test
  void noChangedPathsRunsNothing() {
    assertTrue(
        TriggerPlan.of(List.of(restart("a", "", ".*")), List.of(restart("a", "", ".*")), Set.of())
            .isEmpty());
  }

  @Test
  void matchedServicesStopInReverseAndStartInOrder() {
    List<Trigger> triggers =
        List.of(
            restart("web", "2", "/srv/.*"),
            restart("db", "1", "/srv/.*"),
            restart("cron", "3", "/etc/cron.d/.*"));
    TriggerPlan plan = TriggerPlan.of(List.of(), triggers, Set.of("/srv/app.jar"));
    assertEquals(List.of("web", "db"), plan.stops());
    assertEquals(List.of(start("db"), start("web")), plan.starts());
    assertNull(plan.rebootFor());
  }

  @Test
  void reloadTriggerIsNotStoppedAndIsReloaded() {
    TriggerPlan plan =
        TriggerPlan.of(
            List.of(), List.of(reload("nginx", "/etc/nginx/.*")), Set.of("/etc/nginx/nginx.conf"));
    assertEquals(List.of(), plan.stops());
    assertEquals(List.of(new TriggerPlan.Start("nginx", "reload")), plan.starts());
  }

  @Test
  void serviceDroppedByTheNewImageIsStoppedAndNotStarted() {
    TriggerPlan plan =
        TriggerPlan.of(
            List.of(restart("old", "", "/opt/old/.*")), List.of(), Set.of("/opt/old/bin"));
    assertEquals(List.of("old"), plan.stops());
    assertEquals(List.of(), plan.starts());
  }

  @Test
  void previouslyRestartedNowReloadedServiceIsRestarted() {
    TriggerPlan plan =
        TriggerPlan.of(
            List.of(restart("nginx", "", "/etc/nginx/.*")),
            List.of(reload("nginx", "/etc/nginx/.*")),
            Set.of("/etc/nginx/x"));
    assertEquals(List.of("nginx"), plan.stops());
    assertEquals(List.of(start("nginx")), plan.starts());
  }

  @Test
  void serviceNamedTwiceRunsOnce() {
    TriggerPlan plan =
        TriggerPlan.of(
            List.of(restart("sshd", "", "/etc/ssh/.*")),
            List.of(restart("sshd", "", "/etc/ssh/.*"), restart("sshd", "", "/usr/sbin/sshd")),
            Set.of("/etc/ssh/sshd_config", "/usr/sbin/sshd"));
    assertEquals(List.of("sshd"), plan.stops());
    assertEquals(List.of(start("sshd")), plan.starts());
  }

  @Test
  void rebootTriggerIsReported() {
    Trigger kernel = new Trigger(List.of("/boot/.*"), "kernel", false, true, true, "");
    TriggerPlan plan = TriggerPlan.of(List.of(), List.of(kernel), Set.of("/boot/vmlinuz"));
    assertEquals("kernel", plan.rebootFor());
  }
}
