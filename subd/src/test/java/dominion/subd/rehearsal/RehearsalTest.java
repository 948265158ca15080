package dominion.subd.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RehearsalTest {
  @TempDir Path tmp;
  ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void tearDown() {
    workers.shutdownNow();
  }

  @Test
  void rehearsesEveryRoundOverTlsAndLeavesNothingBehind() throws IOException {
    Path scratch = tmp.resolve("state/rehearsal");
    Rehearsal r = new Rehearsal(new Rehearsal.Config(2, 60), scratch, true, workers, () -> false);
    assertEquals(Rehearsal.State.PENDING, r.outcome().state());

    r.run();

    Rehearsal.Outcome o = r.outcome();
    assertEquals(Rehearsal.State.DONE, o.state(), o.detail());
    assertEquals(2, o.rounds());
    assertTrue(o.detail().startsWith("60 files"), o.detail());
    assertFalse(Files.exists(scratch), "scratch tree removed");
    assertTrue(Files.isDirectory(tmp.resolve("state")), "its parent stays");
  }

  @Test
  void rehearsesWithoutTlsWhenSubdFetchesWithout() {
    Rehearsal r =
        new Rehearsal(new Rehearsal.Config(1, 50), tmp.resolve("r"), false, workers, () -> false);

    r.run();

    assertEquals(Rehearsal.State.DONE, r.outcome().state(), r.outcome().detail());
    assertEquals(1, r.outcome().rounds());
  }

  @Test
  void aRealFetchOrUpdateCutsItShortBetweenRounds() {
    // Each round asks twice, before its fetch and before its update: busy from the third
    // question on, the first round runs whole and the second not at all.
    Rehearsal r = cutShortAfterQuestions(2);

    assertEquals(Rehearsal.State.CUT_SHORT, r.outcome().state());
    assertEquals(1, r.outcome().rounds());
    assertFalse(Files.exists(tmp.resolve("r")));
  }

  @Test
  void aRealFetchOrUpdateCutsItShortBetweenAFetchAndItsUpdate() {
    Rehearsal r = cutShortAfterQuestions(1);

    assertEquals(Rehearsal.State.CUT_SHORT, r.outcome().state());
    assertEquals(0, r.outcome().rounds());
  }

  private Rehearsal cutShortAfterQuestions(int idle) {
    AtomicInteger asked = new AtomicInteger();
    Rehearsal r =
        new Rehearsal(
            new Rehearsal.Config(3, 50),
            tmp.resolve("r"),
            false,
            workers,
            () -> asked.incrementAndGet() > idle);
    r.run();
    return r;
  }

  @Test
  void aFailureIsReportedAndNotThrown() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
    Rehearsal r =
        new Rehearsal(
            new Rehearsal.Config(1, 50), file.resolve("rehearsal"), false, workers, () -> false);

    r.run();

    assertEquals(Rehearsal.State.FAILED, r.outcome().state());
    assertTrue(r.outcome().detail().startsWith("rehearsal failed: "), r.outcome().detail());
  }

  @Test
  void aLeftoverScratchTreeIsReplaced() throws IOException {
    Path scratch = tmp.resolve("r");
    Files.createDirectories(scratch.resolve("root/d0"));
    Files.writeString(scratch.resolve("root/d0/f0"), "left by a crash");
    Rehearsal r = new Rehearsal(new Rehearsal.Config(1, 50), scratch, false, workers, () -> false);

    r.run();

    assertEquals(Rehearsal.State.DONE, r.outcome().state(), r.outcome().detail());
    assertFalse(Files.exists(scratch));
  }

  @Test
  void offDoesNothing() {
    Rehearsal r =
        new Rehearsal(Rehearsal.Config.OFF, tmp.resolve("r"), false, workers, () -> false);

    r.run();

    assertEquals(Rehearsal.State.OFF, r.outcome().state());
    assertFalse(Files.exists(tmp.resolve("r")));
  }
}
