package dominion.subd.limit;

import java.util.function.IntSupplier;

/**
 * The scan's shares of one CPU and of the disk. Each scanning thread gets its own {@link Meter}
 * (measuring its own CPU time and device reads). Full metadata passes may use the whole CPU share;
 * the cheap passes over the directories change notification names have a budget of their own with
 * the same share (so a full pass's cost never delays noticing a change; the two together can reach
 * twice the share only while the root changes all the time); the background full re-hash gets a
 * quarter of the CPU share (the periodic metadata passes and the JVM's own threads take much of the
 * rest while subd is idle) and the disk share, on pacers of its own (metadata passes read only
 * changed files, so the two rarely compete for the disk).
 */
public final class ScanLimits {
  /**
   * Assumed disk bandwidth when none is given: 100 MiB/s, a modest SATA SSD or a fast HDD. Only
   * reads that reach the device count against it.
   */
  public static final double DEFAULT_DISK_BYTES_PER_SECOND = 100.0 * (1 << 20);

  private final Pacer cpu = new Pacer(Pacer.SYSTEM);
  private final Pacer backgroundCpu = new Pacer(Pacer.SYSTEM);
  private final Pacer changeCpu = new Pacer(Pacer.SYSTEM);
  private final Pacer disk = new Pacer(Pacer.SYSTEM);
  private final Pacer backgroundDisk = new Pacer(Pacer.SYSTEM);
  private final IntSupplier cpuPercent;
  private final IntSupplier diskPercent;
  private final double diskBytesPerSecond;
  private final ThreadLocal<Meter> meters;
  private final ThreadLocal<Meter> backgroundMeters;
  private final ThreadLocal<Meter> changeMeters;
  private final ThreadLocal<Pass> pass = ThreadLocal.withInitial(() -> Pass.FULL);

  public ScanLimits(IntSupplier cpuPercent, IntSupplier diskPercent, double diskBytesPerSecond) {
    this.cpuPercent = cpuPercent;
    this.diskPercent = diskPercent;
    this.diskBytesPerSecond = diskBytesPerSecond;
    this.meters =
        ThreadLocal.withInitial(
            () ->
                new Meter(
                    cpu,
                    disk,
                    () -> this.cpuPercent.getAsInt(),
                    this.diskPercent,
                    this.diskBytesPerSecond));
    this.changeMeters =
        ThreadLocal.withInitial(
            () ->
                new Meter(
                    changeCpu,
                    disk,
                    () -> this.cpuPercent.getAsInt(),
                    this.diskPercent,
                    this.diskBytesPerSecond));
    this.backgroundMeters =
        ThreadLocal.withInitial(
            () ->
                new Meter(
                    backgroundCpu,
                    backgroundDisk,
                    () -> quarter(this.cpuPercent.getAsInt()),
                    this.diskPercent,
                    this.diskBytesPerSecond));
  }

  // A quarter of the share; unlimited stays unlimited.
  private static double quarter(int percent) {
    return percent >= 100 ? 100 : percent / 4.0;
  }

  /**
   * The calling thread's meter for passes that list only directories change notification named: a
   * budget of their own, so a full pass's cost does not hold back the next change.
   */
  public Meter changeMeter() {
    return changeMeters.get();
  }

  /** What a metadata pass is, for its pacing. */
  public enum Pass {
    /** A full pass: on the full budget, resting as it goes. */
    FULL,
    /**
     * A full pass someone waits for (the one after an update, which the dominator waits for to
     * judge it): on the full budget, but it rests off its cost only after it ends.
     */
    URGENT,
    /** A pass over the directories change notification named: on the change budget. */
    CHANGES
  }

  /** Says what the calling thread's current metadata pass is. */
  public void startPass(Pass pass) {
    this.pass.set(pass);
  }

  // The meter of the calling thread's current metadata pass.
  private Meter passMeter() {
    return pass.get() == Pass.CHANGES ? changeMeter() : meter();
  }

  /**
   * Accounts the work of the calling thread's current metadata pass so far and rests as its share
   * requires, unless the pass is {@link Pass#URGENT}: then what it owes is rested off before the
   * next full pass (by whoever runs the passes), not now.
   */
  public void paceWithinPass() throws InterruptedException {
    if (pass.get() == Pass.URGENT) {
      meter().account();
    } else {
      passMeter().settle();
    }
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
