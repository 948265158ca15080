package dominion.subd.sys;

/**
 * Recognises a full file system (ENOSPC, or EDQUOT for a quota) in an I/O error, so that what subd
 * reports says so and tells the operator what to do. The JDK reports both only as the C library's
 * message, so the messages are matched.
 */
public final class DiskFull {
  private DiskFull() {}

  /** True if {@code e} or one of its causes says the file system is full. */
  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
