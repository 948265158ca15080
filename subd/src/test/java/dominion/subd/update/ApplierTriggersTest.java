package dominion.subd.update;

import static dominion.subd.update.RootFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.image.Trigger;
import dominion.proto.subd.TriggerResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Triggers through a recording service command: what runs, in which order. */
class ApplierTriggersTest {
  @TempDir Path tmp;
  RootFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new RootFixture(tmp);
    Files.createDirectories(fx.at("/etc/ssh"));
    Files.createDirectories(fx.at("/etc/nginx"));
  }

  private static Trigger trigger(String service, boolean reload, String line) {
    return new Trigger(List.of(line), service, reload, false, false, "");
  }

  @Test
  void matchedServiceIsStoppedBeforeAndStartedAfter() throws IOException {
    fx.object("Port 22\n");
    UpdateResult result =
        fx.updater.apply(
            new RootFixture.Request()
                .inode("/etc/ssh/sshd_config", file("Port 22\n", 0644, 0))
                .trigger(trigger("sshd", false, "/etc/ssh/.*"))
                .trigger(trigger("nginx", false, "/etc/nginx/.*"))
                .build());
    assertNull(result.error());
    assertEquals(List.of("stop sshd", "start sshd"), fx.serviceCalls());
    assertEquals(
        List.of("stop", "start"),
        result.triggerResults().stream().map(TriggerResult::action).toList());
    assertEquals("did stop", result.triggerResults().getFirst().output());
  }

  @Test
  void reloadTriggerReloadsWithoutStopping() throws IOException {
    fx.object("worker_processes 2;\n");
    fx.updater.apply(
        new RootFixture.Request()
            .inode("/etc/nginx/nginx.conf", file("worker_processes 2;\n", 0644, 0))
            .trigger(trigger("nginx", true, "/etc/nginx/.*"))
            .build());
    assertEquals(List.of("reload nginx"), fx.serviceCalls());
  }

  @Test
  void nothingRunsWhenNothingMatched() throws IOException {
    fx.object("x");
    UpdateResult result =
        fx.updater.apply(
            new RootFixture.Request()
                .inode("/etc/motd", file("x", 0644, 0))
                .trigger(trigger("sshd", false, "/etc/ssh/.*"))
                .build());
    assertEquals(List.of(), fx.serviceCalls());
    assertEquals(List.of(), result.triggerResults());
  }

  @Test
  void previousImageTriggersStopServicesTheNewImageDrops() throws IOException {
    fx.updater.apply(
        new RootFixture.Request()
            .image("img/1")
            .trigger(trigger("legacy", false, "/opt/legacy/.*"))
            .build());
    Files.createDirectories(fx.at("/opt/legacy"));
    Files.writeString(fx.at("/opt/legacy/bin"), "old", StandardCharsets.UTF_8);
    fx.updater.apply(new RootFixture.Request().image("img/2").delete("/opt/legacy").build());
    assertEquals(List.of("stop legacy"), fx.serviceCalls());
  }

  @Test
  void stopsRunInReverseOrderAndStartsInOrder() throws IOException {
    fx.object("a");
    fx.updater.apply(
        new RootFixture.Request()
            .inode("/etc/ssh/a", file("a", 0644, 0))
            .trigger(new Trigger(List.of("/etc/ssh/.*"), "first", false, false, false, "1"))
            .trigger(new Trigger(List.of("/etc/ssh/.*"), "second", false, false, false, "2"))
            .build());
    assertEquals(
        List.of("stop second", "stop first", "start first", "start second"), fx.serviceCalls());
  }

  @Test
  void servicesStartAgainWhenTheUpdateFails() throws IOException {
    Files.createDirectories(fx.at("/etc/ssh/was-a-dir"));
    UpdateResult result =
        fx.updater.apply(
            new RootFixture.Request()
                .metadata("/etc/ssh/was-a-dir", file("a file?", 0644, 0))
                .trigger(trigger("sshd", false, "/etc/ssh/.*"))
                .build());
    assertTrue(result.error() != null);
    assertEquals(List.of("stop sshd", "start sshd"), fx.serviceCalls());
  }

  @Test
  void missingObjectFailsBeforeAnyServiceStops() throws IOException {
    UpdateResult result =
        fx.updater.apply(
            new RootFixture.Request()
                .inode("/etc/ssh/sshd_config", file("not in the cache", 0644, 0))
                .trigger(trigger("sshd", false, "/etc/ssh/.*"))
                .build());
    assertTrue(result.error().contains("missing"), result.error());
    assertEquals(List.of(), fx.serviceCalls());
  }

  @Test
  void rebootTriggerRunsTheRebootCommandAfterStarts() throws IOException {
    fx.object("kernel");
    Files.createDirectories(fx.at("/boot"));
    fx.updater.apply(
        new RootFixture.Request()
            .inode("/boot/vmlinuz", file("kernel", 0644, 0))
            .trigger(new Trigger(List.of("/boot/.*"), "kernel", false, true, true, ""))
            .build());
    assertEquals(List.of("stop kernel", "start kernel", "reboot host"), fx.serviceCalls());
  }

  @Test
  void interruptedUpdateIsCleanedUpOnRecovery() throws IOException {
    Files.writeString(fx.at("/etc/ssh/.subd-dead-i0"), "half", StandardCharsets.UTF_8);
    Files.writeString(
        fx.state.staging().resolve(".subd-dead-i2"), "staged", StandardCharsets.UTF_8);
    new Journal(
            "dead",
            List.of("/etc/ssh/.subd-dead-i0", "/etc/.subd-dead-i1"),
            List.of("sshd"),
            List.of(new TriggerPlan.Start("sshd", "start")))
        .write(fx.state.journalFile());
    fx.updater.recover();
    assertTrue(Files.notExists(fx.at("/etc/ssh/.subd-dead-i0")));
    assertTrue(Files.notExists(fx.state.journalFile()));
    assertTrue(Files.notExists(fx.state.staging().resolve(".subd-dead-i2")));
    assertEquals(List.of("start sshd"), fx.serviceCalls());
    assertTrue(fx.updater.last().error().contains("interrupted"));
  }
}
