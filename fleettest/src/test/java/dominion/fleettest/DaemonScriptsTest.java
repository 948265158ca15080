package dominion.fleettest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A daemon as bin/ starts it, on the JVM options operators get. */
@Timeout(60)
class DaemonScriptsTest {
  private static final Path HOME = Path.of("").toAbsolutePath().getParent();

  @Test
  void subdStartsWithoutWarningsFromTheJvm(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path log = dir.resolve("subd.log");
    Process subd =
        new ProcessBuilder(
                HOME.resolve("bin/subd").toString(),
                "--root-dir",
                root.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(Fleet.freePort("127.0.0.1")),
                "--permit-insecure-mode",
                "--service-command",
                "true")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String out = "";
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      while (!out.contains("listening on") && subd.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        out = Files.readString(log, StandardCharsets.UTF_8);
      }
    } finally {
      subd.destroy();
      subd.waitFor(10, TimeUnit.SECONDS);
    }
    out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(out.contains("listening on"), out);
    // The JVM's own warnings (Netty's use of sun.misc.Unsafe, native access) start "WARNING:".
    List<String> warnings = out.lines().filter(l -> l.startsWith("WARNING:")).toList();
    assertEquals(List.of(), warnings, out);
  }
}
