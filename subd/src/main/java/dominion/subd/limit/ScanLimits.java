package dominion.subd.limit;

import java.util.function.IntSupplier;

/**
 * The scan's shares of one CPU and of the disk, shared by every scanning thread: each thread
 * gets its own {@link Meter} (measuring its own CPU time and device reads) over the same pacers.
 */
public final class ScanLimits {
  /**
   * Assumed disk bandwidth when none is given: 100 MiB/s, a modest SATA SSD or a fast HDD. Only
   * reads that reach the device count against it.
   */
  public static final double DEFAULT_DISK_BYTES_PER_SECOND = 100.0 * (1 << 20);

  private final Pacer cpu = new Pacer(Pacer.SYSTEM);
  private final Pacer disk = new Pacer(Pacer.SYSTEM);
  private final IntSupplier cpuPercent;
  private final IntSupplier diskPercent;
  private final double diskBytesPerSecond;
  private final ThreadLocal<Meter> meters;

  public ScanLimits(IntSupplier cpuPercent, IntSupplier diskPercent, double diskBytesPerSecond) {
    this.cpuPercent = cpuPercent;
    this.diskPercent = diskPercent;
    this.diskBytesPerSecond = diskBytesPerSecond;
    this.meters = ThreadLocal.withInitial(
        () -> new Meter(cpu, disk, this.cpuPercent, this.diskPercent, this.diskBytesPerSecond));
  }

  /** The calling thread's meter. */
  public Meter meter() {
    return meters.get();
  }
}
