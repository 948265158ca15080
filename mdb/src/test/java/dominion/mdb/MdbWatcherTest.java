package dominion.mdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class MdbWatcherTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("mdb.json");
  }

  private MdbWatcher watcher() {
    return new MdbWatcher(
        new MdbWatcher.Config(file(), Duration.ofMillis(50)), new MdbCodec(), Clock.systemUTC());
  }

  // What every writer should do: a new file renamed over the old one.
  private void replace(String json) throws Exception {
    Path tmp = dir.resolve("new.json");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void loadsTheFileAtStart() throws Exception {
    replace("[{\"Hostname\": \"a\"}]");
    try (MdbWatcher w = watcher().start()) {
      assertEquals(1, w.current().size());
      assertNull(w.status().lastError());
    }
  }

  @Test
  void aMissingFileIsReportedAndTheMdbIsEmpty() {
    MdbWatcher w = watcher();
    w.check();
    assertEquals(0, w.current().size());
    assertTrue(w.status().lastError().contains("missing"), w.status().lastError());
  }

  @Test
  void checkNoticesAnAtomicReplace() throws Exception {
    replace("[{\"Hostname\": \"a\"}]");
    MdbWatcher w = watcher();
    w.check();
    replace("[{\"Hostname\": \"a\"}, {\"Hostname\": \"b\"}]");
    assertTrue(w.check());
    assertEquals(2, w.current().size());
  }

  @Test
  void aFileThatDoesNotParseKeepsTheLastGoodMdb() throws Exception {
    replace("[{\"Hostname\": \"a\", \"RequiredImage\": \"x/1\"}]");
    MdbWatcher w = watcher();
    w.check();
    replace("[{\"Hostname\": ");
    assertFalse(w.check());
    assertEquals("x/1", w.current().get("a").requiredImage());
    MdbStatus status = w.status();
    assertNotNull(status.lastError());
    assertTrue(status.lastError().contains("bad MDB JSON"), status.lastError());
    assertEquals(1, status.machines());
  }

  @Test
  void aFixedFileClearsTheError() throws Exception {
    replace("[{\"Hostname\": \"a\"}]");
    MdbWatcher w = watcher();
    w.check();
    replace("nonsense");
    w.check();
    replace("[{\"Hostname\": \"b\"}]");
    assertTrue(w.check());
    assertNull(w.status().lastError());
    assertNotNull(w.current().get("b"));
  }

  @Test
  void anUnchangedFileIsNotReread() throws Exception {
    replace("[{\"Hostname\": \"a\"}]");
    MdbWatcher w = watcher();
    w.check();
    long loads = w.status().loads();
    assertFalse(w.check());
    assertEquals(loads, w.status().loads());
  }

  @Test
  @Timeout(10)
  void theThreadNoticesAReplaceWithinTwoSecondsAndTellsListeners() throws Exception {
    replace("[{\"Hostname\": \"a\"}]");
    List<Mdb> seen = new CopyOnWriteArrayList<>();
    try (MdbWatcher w = watcher()) {
      w.addListener(seen::add);
      w.start();
      long start = System.nanoTime();
      replace("[{\"Hostname\": \"a\"}, {\"Hostname\": \"c\"}]");
      long deadline = start + Duration.ofSeconds(2).toNanos();
      while (seen.stream().noneMatch(m -> m.get("c") != null) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(2, seen.size(), "the first MDB at start, the new one within two seconds");
      assertEquals(2, seen.getLast().size());
      assertNotNull(w.current().get("c"));
    }
  }
}
