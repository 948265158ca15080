package dominion.subd.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.subd.state.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restart does with what a killed update left, when the journal is not what a clean kill
 * leaves: damaged, or naming paths that are not temporary names. (A real kill -9 at each step of an
 * update is {@code dominion.subd.crash.KillNineTest}.)
 */
class RecoveryTest {
  @TempDir Path tmp;
  RootFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new RootFixture(tmp);
  }

  @Test
  void unreadableJournalIsReportedAndRemovedAndSubdStartsAnyway() throws IOException {
    Files.writeString(fx.state.journalFile(), "{\"id\": \"dead\", \"temps\": [", UTF8);
    fx.updater.recover();
    String error = fx.updater.last().error();
    assertTrue(error.contains("unreadable") && error.contains("update.journal"), error);
    assertTrue(Files.notExists(fx.state.journalFile()));
    assertEquals(List.of(), fx.serviceCalls());
  }

  @Test
  void journalNamingRealFilesDeletesOnlyTemporaryNames() throws IOException {
    Files.createDirectories(fx.at("/etc"));
    Files.writeString(fx.at("/etc/passwd"), "root:x:0:0\n", UTF8);
    Files.writeString(fx.at("/etc/.subd-dead-i1"), "half", UTF8);
    new Journal("dead", List.of("/etc/passwd", "/etc/.subd-dead-i1"), List.of(), List.of())
        .write(fx.state.journalFile());
    fx.updater.recover();
    assertEquals("root:x:0:0\n", Files.readString(fx.at("/etc/passwd"), UTF8));
    assertTrue(Files.notExists(fx.at("/etc/.subd-dead-i1")));
  }

  @Test
  void journalNeverLeadsRecoveryOutOfTheRoot() throws IOException {
    Path victim = Files.writeString(fx.outside.resolve(".subd-dead-i0"), "keep", UTF8);
    Files.createSymbolicLink(fx.at("/escape"), fx.outside);
    new Journal("dead", List.of("/escape/.subd-dead-i0", "/../outside/.subd-dead-i0"), null, null)
        .write(fx.state.journalFile());
    fx.updater.recover();
    assertEquals("keep", Files.readString(victim, UTF8));
    assertTrue(Files.notExists(fx.state.journalFile()));
  }

  @Test
  void objectsInstalledBeforeTheKillLeaveTheCache() throws IOException {
    dominion.core.hash.Hash installed = fx.object("installed\n");
    dominion.core.hash.Hash kept = fx.object("kept\n");
    Files.createLink(fx.at("/app"), fx.cache.pathOf(installed));
    new Journal("dead", List.of("/.subd-dead-i0"), List.of(), List.of())
        .write(fx.state.journalFile());
    fx.updater.recover();
    assertEquals("installed\n", Files.readString(fx.at("/app"), UTF8));
    assertTrue(!fx.cache.has(installed), "the cache still shares the tree's file");
    assertTrue(fx.cache.has(kept));
    assertEquals(1, fx.cache.count());
  }

  @Test
  void anUpdateThatDiesOfAnErrorIsReportedAsFailed() throws Exception {
    Updater updater =
        new Updater(
            fx.rootFs,
            fx.cache,
            new InodeWriter(fx.cache, false),
            fx.state,
            new ServiceCommand(new ServiceCommand.Config("true", "true", Duration.ofSeconds(5))),
            new HashHints() {
              @Override
              public void known(dominion.core.fs.Posix.Stat stat, dominion.core.hash.Hash hash) {
                throw new OutOfMemoryError("pretend");
              }

              @Override
              public dominion.core.hash.Hash peek(dominion.core.fs.Posix.Stat stat) {
                return null;
              }
            },
            Executors.newVirtualThreadPerTaskExecutor(),
            () -> {});
    fx.object("x");
    updater.start(new RootFixture.Request().inode("/x", RootFixture.file("x", 0644, 0)).build());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (updater.inProgress() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(!updater.inProgress());
    String error = updater.last().error();
    assertTrue(error != null && error.contains("OutOfMemoryError"), error);
    assertEquals(1, updater.failures());
  }

  @Test
  void stateFileReplacementsCutShortAreRemovedOnOpen() throws IOException {
    fx.state.recordImage("img/1", List.of());
    Files.writeString(fx.state.dir().resolve("image.tmp"), "img/2", UTF8);
    Files.writeString(fx.state.dir().resolve("update.journal.tmp"), "{", UTF8);
    StateDir reopened = new StateDir(fx.state.dir());
    assertEquals("img/1", reopened.lastImage());
    assertTrue(Files.notExists(fx.state.dir().resolve("image.tmp")));
    assertTrue(Files.notExists(fx.state.dir().resolve("update.journal.tmp")));
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
