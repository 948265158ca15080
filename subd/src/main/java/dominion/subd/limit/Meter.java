package dominion.subd.limit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * Paces one platform thread's CPU time and device reads to shares of one CPU and of the disk's
 * bandwidth. The thread calls {@link #settle} after each unit of work; the meter measures what the
 * work cost since the last call and sleeps long enough to keep within the shares. Pacers may be
 * shared between threads, so two scanning threads share one budget. Use from its own thread only.
 */
public final class Meter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Pacer cpu;
  private final Pacer disk;
  private final DoubleSupplier cpuPercent;
  private final IntSupplier diskPercent;
  private final double diskBytesPerSecond;
  private long lastCpu;
  private long lastReads;
  private long sleptNanos;

  /**
   * @param diskBytesPerSecond the disk's bandwidth at 100%
   */
  public Meter(
      Pacer cpu,
      Pacer disk,
      DoubleSupplier cpuPercent,
      IntSupplier diskPercent,
      double diskBytesPerSecond) {
    this.cpu = cpu;
    this.disk = disk;
    this.cpuPercent = cpuPercent;
    this.diskPercent = diskPercent;
    this.diskBytesPerSecond = diskBytesPerSecond;
    reset();
  }

  /** Starts measuring from now (after a pause that must not count). */
  public void reset() {
    lastCpu = THREADS.getCurrentThreadCpuTime();
    lastReads = DeviceReads.ofCurrentThread();
  }

  /** Accounts the work since the last call and sleeps as the shares require. */
  public void settle() throws InterruptedException {
    long wait = account();
    if (wait > 0) {
      sleptNanos += wait;
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  /**
   * Accounts the work since the last call and returns how long the shares say to rest before more
   * work on this budget (the caller decides how to rest). Everything the thread spent since then
   * counts, the metering and the last rest included: reading the device counters and sleeping cost
   * the thread 40-90 us per file, as much as hashing a 50 KB file, and leaving them out let the
   * full re-hash use about twice its share.
   */
  public long account() {
    long nowCpu = THREADS.getCurrentThreadCpuTime();
    long nowReads = DeviceReads.ofCurrentThread();
    long cpuUsed = Math.max(0, nowCpu - lastCpu);
    long read = Math.max(0, nowReads - lastReads);
    double cp = cpuPercent.getAsDouble();
    int dp = diskPercent.getAsInt();
    long wait =
        Math.max(
            cpu.reserve(cpuUsed, cp >= 100 ? Double.POSITIVE_INFINITY : cp / 100.0 * 1e9),
            disk.reserve(
                read, dp >= 100 ? Double.POSITIVE_INFINITY : dp / 100.0 * diskBytesPerSecond));
    lastCpu = nowCpu;
    lastReads = nowReads;
    return wait;
  }

  public long sleptNanos() {
    return sleptNanos;
  }
}
