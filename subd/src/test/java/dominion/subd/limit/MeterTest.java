package dominion.subd.limit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A meter holds its thread to its CPU share, whatever the thread spends the time on. */
@Timeout(30)
class MeterTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int SHARE_PERCENT = 5;

  @Test
  void manySmallUnitsOfWorkStayWithinTheShareMeteringAndRestingIncluded()
      throws InterruptedException {
    // Units as cheap as hashing a small file, so that the meter's own reading of its counters and
    // the thread's sleeps are a large part of what the thread spends.
    Meter meter =
        new Meter(
            new Pacer(Pacer.SYSTEM), new Pacer(Pacer.SYSTEM), () -> SHARE_PERCENT, () -> 2, 1e9);
    long wallStart = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    meter.reset();
    int units = 0;
    while (System.nanoTime() - wallStart < 2_000_000_000L) {
      CpuWork.burn(5_000);
      meter.settle();
      units++;
    }
    double wall = System.nanoTime() - wallStart;
    double percent = (THREADS.getCurrentThreadCpuTime() - cpuStart) / wall * 100;
    assertTrue(
        percent < SHARE_PERCENT * 1.3,
        "the thread used "
            + percent
            + "% of a CPU on a "
            + SHARE_PERCENT
            + "% share, "
            + units
            + " units");
  }
}
