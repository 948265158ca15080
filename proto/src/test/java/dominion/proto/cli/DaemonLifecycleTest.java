package dominion.proto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The ways a daemon does not start; a started one waits for the JVM's end, which no test sees. */
class DaemonLifecycleTest {
  @Command(name = "testd")
  static final class Daemon {}

  private final StringWriter err = new StringWriter();
  private final CommandSpec spec =
      new CommandLine(new Daemon()).setErr(new PrintWriter(err, true)).getCommandSpec();

  @Test
  void anIoFailureIsOneLineAndExitsOne() throws Exception {
    int code =
        DaemonLifecycle.runUntilStopped(
            spec,
            () -> {
              throw new IOException("listen on 127.0.0.1:1: Address already in use");
            },
            d -> {});
    assertEquals(1, code);
    assertEquals(
        "testd: cannot start: listen on 127.0.0.1:1: Address already in use\n",
        err.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void aRefusalExitsTwo() throws Exception {
    assertEquals(2, DaemonLifecycle.runUntilStopped(spec, () -> null, d -> {}));
    assertEquals("", err.toString());
  }
}
