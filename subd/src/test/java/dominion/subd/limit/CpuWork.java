package dominion.subd.limit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Work for the limits' tests: burns the calling thread's CPU for a given time. */
final class CpuWork {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuWork() {}

  static void burn(long nanos) {
    long end = THREADS.getCurrentThreadCpuTime() + nanos;
    long x = 0;
    while (THREADS.getCurrentThreadCpuTime() < end) {
      x += System.nanoTime() % 7;
    }
    assertTrue(x >= 0);
  }
}
