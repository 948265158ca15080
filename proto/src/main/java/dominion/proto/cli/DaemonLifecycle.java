package dominion.proto.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a daemon's main class runs it: start, then serve until the JVM is asked to stop (SIGTERM,
 * Ctrl-C), and close it on the way out.
 */
public final class DaemonLifecycle {
  private DaemonLifecycle() {}

  /**
   * Starts a daemon and waits until the JVM shuts down; the exit code of the command.
   *
   * @param spec the daemon's command, whose name prefixes what is printed on its error stream
   * @param start starts the daemon; null when it must not start (it has said why): exit 2. An
   *     {@link IOException} (a busy port, a missing directory) is printed as one line: exit 1
   * @param close stops the daemon, from a shutdown hook
   */
  public static <T> int runUntilStopped(CommandSpec spec, Callable<T> start, Consumer<T> close)
      throws Exception {
    T daemon;
    try {
      daemon = start.call();
    } catch (IOException e) {
      spec.commandLine().getErr().println(spec.name() + ": cannot start: " + e.getMessage());
      return 1;
    }
    if (daemon == null) {
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close.accept(daemon);
                  stopped.countDown();
                },
                spec.name() + "-shutdown"));
    stopped.await();
    return 0;
  }
}
