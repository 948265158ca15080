package dominion.subd.limit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a metadata pass rests inside itself, by its kind, at a 1% CPU share. */
@Timeout(30)
class ScanLimitsTest {
  // 20 ms of CPU at 1% of a CPU: two seconds of rest.
  private static final long WORK_NANOS = 20_000_000;
  private static final long OWED_NANOS = WORK_NANOS * 100;

  private final ScanLimits limits = new ScanLimits(() -> 1, () -> 100, 1e9);

  private long pacedNanos() throws InterruptedException {
    long start = System.nanoTime();
    limits.paceWithinPass();
    return System.nanoTime() - start;
  }

  @Test
  void anUrgentPassRestsOffItsCostOnlyAfterItEnds() throws InterruptedException {
    limits.startPass(ScanLimits.Pass.URGENT);
    limits.meter().reset();
    CpuWork.burn(WORK_NANOS);
    long slept = pacedNanos();
    assertTrue(slept < OWED_NANOS / 2, "rested " + Duration.ofNanos(slept) + " inside the pass");
    long owed = limits.meter().account();
    assertTrue(owed > OWED_NANOS / 2, "owes only " + Duration.ofNanos(owed) + " after the pass");
  }

  @Test
  void aFullPassRestsAsItGoes() throws InterruptedException {
    limits.startPass(ScanLimits.Pass.FULL);
    limits.meter().reset();
    CpuWork.burn(WORK_NANOS);
    long slept = pacedNanos();
    assertTrue(slept > OWED_NANOS / 2, "rested only " + Duration.ofNanos(slept));
  }
}
