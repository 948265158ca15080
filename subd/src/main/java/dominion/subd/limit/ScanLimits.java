package dominion.subd.limit;

import java.util.function.IntSupplier;

/**
 * The scan's shares of one CPU and of the disk. Each scanning thread gets its own {@link Meter}
 * (measuring its own CPU time and device reads). The metadata pass may use the whole CPU share;
 * the background full re-hash half of it, on a pacer of its own, so that it never holds back
 * the pass that finds ordinary drift. Both share the disk share.
 */
public final class ScanLimits {
  /**
   * Assumed disk bandwidth when none is given: 100 MiB/s, a modest SATA SSD or a fast HDD. Only
   * reads that reach the device count against it.
   */
  public static final double DEFAULT_DISK_BYTES_PER_SECOND = 100.0 * (1 << 20);

  private final Pacer cpu = new Pacer(Pacer.SYSTEM);
  private final Pacer backgroundCpu = new Pacer(Pacer.SYSTEM);
  private final Pacer disk = new Pacer(Pacer.SYSTEM);
  private final IntSupplier cpuPercent;
  private final IntSupplier diskPercent;
  private final double diskBytesPerSecond;
  private final ThreadLocal<Meter> meters;
  private final ThreadLocal<Meter> backgroundMeters;

  public ScanLimits(IntSupplier cpuPercent, IntSupplier diskPercent, double diskBytesPerSecond) {
    this.cpuPercent = cpuPercent;
    this.diskPercent = diskPercent;
    this.diskBytesPerSecond = diskBytesPerSecond;
    this.meters = ThreadLocal.withInitial(
        () -> new Meter(cpu, disk, () -> this.cpuPercent.getAsInt(), this.diskPercent,
            this.diskBytesPerSecond));
    this.backgroundMeters = ThreadLocal.withInitial(
        () -> new Meter(backgroundCpu, disk, () -> half(this.cpuPercent.getAsInt()),
            this.diskPercent, this.diskBytesPerSecond));
  }

  // Half the share; unlimited stays unlimited.
  private static double half(int percent) {
    return percent >= 100 ? 100 : percent / 2.0;
  }

  /** The calling thread's meter for background work (the full re-hash). */
  public Meter backgroundMeter() {
    return backgroundMeters.get();
  }

  /** The calling thread's meter. */
  public Meter meter() {
    return meters.get();
  }
}
