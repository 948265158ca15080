package dominion.subd.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dominion.core.fs.TreeScanner;
import dominion.core.image.Filter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ChangeWatcherTest {
  @TempDir Path root;

  @Test
  void changesWakeTheScanExceptInExcludedPaths() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("var/log"));
    Filter filter = Filter.parse(List.of("/var/log/.*"));
    AtomicInteger wakes = new AtomicInteger();
    try (ChangeWatcher watcher =
        new ChangeWatcher(root, () -> filter, wakes::incrementAndGet, Duration.ofMillis(20))) {
      assumeTrue(watcher.healthy(), "inotify is not available here");
      watcher.watch(
          new TreeScanner(
                  new TreeScanner.Config(filter, null),
                  (f, st) -> dominion.core.hash.Hash.of(new byte[0]))
              .scan(root)
              .tree());
      watcher.start();
      Files.writeString(root.resolve("var/log/syslog"), "noise", StandardCharsets.UTF_8);
      Thread.sleep(300);
      assertEquals(0, wakes.get(), "a write to an excluded path");
      Files.writeString(root.resolve("etc/new"), "x", StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (wakes.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(wakes.get() > 0, "a new file in a watched directory");
      assertTrue(watcher.healthy());
    }
  }

  @Test
  void aFullPassForgetsEventsTheKernelStillHolds() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("usr/lib"));
    AtomicInteger wakes = new AtomicInteger();
    try (ChangeWatcher watcher =
        new ChangeWatcher(
            root, () -> Filter.EMPTY, wakes::incrementAndGet, Duration.ofMillis(20))) {
      assumeTrue(watcher.healthy(), "inotify is not available here");
      watcher.watch(
          new TreeScanner(
                  new TreeScanner.Config(Filter.EMPTY, null),
                  (f, st) -> dominion.core.hash.Hash.of(new byte[0]))
              .scan(root)
              .tree());
      // Made before the full pass starts, and not read yet (the watcher's thread is not running,
      // as when it is gathering a burst): the full pass sees this file itself.
      Files.writeString(root.resolve("usr/lib/before"), "x", StandardCharsets.UTF_8);
      watcher.forgetQueued();
      watcher.start();
      Files.writeString(root.resolve("etc/after"), "x", StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (wakes.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(100);
      assertEquals(Set.of("/etc"), watcher.drainDirty());
    }
  }
}
