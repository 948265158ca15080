package dominion.proto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

class ToolRunnerTest {
  @Command(name = "tool", subcommands = Fail.class)
  static final class Tool implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "fail")
  static final class Fail implements Callable<Integer> {
    @Parameters String what;

    @Override
    public Integer call() throws IOException {
      throw new IOException(what.equals("null") ? null : what);
    }
  }

  private String err;

  private int run(boolean usageError, String... args) {
    StringWriter e = new StringWriter();
    int code =
        ToolRunner.run(
            new Tool(),
            args,
            new PrintWriter(new StringWriter()),
            new PrintWriter(e),
            ToolRunner::describe,
            x -> usageError);
    err = e.toString();
    return code;
  }

  @Test
  void successExitsZero() {
    assertEquals(0, run(false));
    assertEquals("", err);
  }

  @Test
  void usageErrorNamesTheCommandAndExitsTwo() {
    assertEquals(2, run(false, "fail", "--bogus", "x"));
    assertEquals(
        "tool fail: Unknown option: '--bogus'\nTry 'tool fail --help' for usage.\n",
        err.replace(System.lineSeparator(), "\n"));
  }

  @Test
  void failureIsOneLineAndExitsOne() {
    assertEquals(1, run(false, "fail", "disk full"));
    assertEquals("tool fail: disk full\n", err.replace(System.lineSeparator(), "\n"));
  }

  @Test
  void failureWithoutMessageShowsTheException() {
    assertEquals(1, run(false, "fail", "null"));
    assertEquals("tool fail: java.io.IOException\n", err.replace(System.lineSeparator(), "\n"));
  }

  @Test
  void failureTheCallerCausedExitsTwo() {
    assertEquals(2, run(true, "fail", "bad state"));
    assertEquals("tool fail: bad state\n", err.replace(System.lineSeparator(), "\n"));
  }
}
