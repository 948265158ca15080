package dominion.mdb.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Editors in separate processes (the file lock is per process) never lose a change. */
class ConcurrentEditTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void concurrentAddsFromSeveralProcessesAllLand() throws Exception {
    Path file = dir.resolve("mdb.json");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int processes = 3;
    int each = 4;
    List<Process> running = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  Adder.class.getName(),
                  file.toString()));
      for (int i = 0; i < each; i++) {
        command.add("h" + p + "-" + i);
      }
      running.add(new ProcessBuilder(command).inheritIO().start());
    }
    for (Process p : running) {
      p.waitFor(100, TimeUnit.SECONDS);
      assertEquals(0, p.exitValue());
    }
    assertEquals(processes * each, new MdbFile(file, new MdbCodec()).load().size());
  }

  /** Adds each host named on the command line with mdbtool, one edit per host. */
  public static final class Adder {
    public static void main(String[] args) {
      for (int i = 1; i < args.length; i++) {
        int code =
            MdbtoolMain.run(
                new String[] {"--mdb-file", args[0], "add", args[i]},
                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(
                    new java.io.OutputStreamWriter(
                        System.err, java.nio.charset.StandardCharsets.UTF_8),
                    true));
        if (code != 0) {
          System.exit(code);
        }
      }
    }
  }
}
