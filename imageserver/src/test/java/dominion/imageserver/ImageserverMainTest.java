package dominion.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(30)
class ImageserverMainTest {
  @TempDir Path dir;

  private String refusal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ImageserverMain());
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute(args));
    return err.toString();
  }

  @Test
  void refusesToStartWithoutItsTlsFiles() {
    String missing = dir.resolve("missing/CA.pem").toString();
    String err = refusal("--data-dir", dir.toString(), "--port", "0", "--ca", missing);
    assertTrue(err.contains("refusing to start") && err.contains(missing), err);
    assertTrue(err.contains("--permit-insecure-mode"), err);
  }

  @Test
  void namedTlsFilesMustExistEvenWhenInsecureModeIsPermitted() {
    String missing = dir.resolve("missing/cert.pem").toString();
    String err =
        refusal(
            "--data-dir",
            dir.toString(),
            "--port",
            "0",
            "--cert",
            missing,
            "--permit-insecure-mode");
    assertTrue(err.contains(missing), err);
  }
}
