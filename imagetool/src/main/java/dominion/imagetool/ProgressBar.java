package dominion.imagetool;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line upload progress bar, redrawn in place on a terminal at most ten times a second. Silent
 * when not enabled (output is not a terminal). Thread-safe: the uploader thread adds, the command
 * finishes.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private final long total;
  private final long start = System.nanoTime();
  private long done;
  private long lastDraw;

  ProgressBar(PrintWriter err, boolean enabled, long total) {
    this.err = err;
    this.enabled = enabled;
    this.total = total;
  }

  /** True when stderr is an interactive terminal. */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  synchronized void add(long bytes) {
    done += bytes;
    long now = System.nanoTime();
    if (enabled && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw(now);
    }
  }

  synchronized void finish() {
    if (enabled) {
      draw(System.nanoTime());
      err.print('\n');
      err.flush();
    }
  }

  private void draw(long now) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) (fraction * WIDTH);
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    err.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %3d%% %s / %s  %s/s   ",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            (int) (fraction * 100),
            Sizes.human(done),
            Sizes.human(total),
            Sizes.human((long) (done / seconds))));
    err.flush();
  }
}
