package dominion.proto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.rpc.SecuritySetup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class DaemonTlsOptionsTest {
  @Command(name = "testd", resourceBundle = "dominion.proto.cli.testhelp")
  static final class Daemon {
    @Mixin DaemonTlsOptions tls;
  }

  @TempDir Path dir;

  private final Daemon daemon = new Daemon();
  private final StringWriter err = new StringWriter();
  private final CommandLine cli = new CommandLine(daemon).setErr(new PrintWriter(err, true));

  private String[] missingFiles(String... more) {
    String[] files = {
      "--ca", dir.resolve("CA.pem").toString(),
      "--cert", dir.resolve("cert.pem").toString(),
      "--key", dir.resolve("key.pem").toString()
    };
    String[] args = new String[files.length + more.length];
    System.arraycopy(files, 0, args, 0, files.length);
    System.arraycopy(more, 0, args, files.length, more.length);
    return args;
  }

  @Test
  void helpTakesTheDaemonsNameAndItsOwnTexts() {
    String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help.contains("The test daemon's own certificate text."), help);
    assertTrue(help.contains("(default /etc/ssl/testd/key.pem)"), help);
    assertTrue(help.contains("When a TLS file is missing, run without TLS"), help);
  }

  @Test
  void missingFilesRefuseToStartSayingWhy() {
    cli.parseArgs(missingFiles());
    assertNull(daemon.tls.setup());
    assertTrue(
        err.toString().startsWith("testd: start testd with TLS: missing TLS files"), err::toString);
    assertTrue(err.toString().contains(SecuritySetup.PERMIT_INSECURE_FLAG), err::toString);
  }

  @Test
  void permitInsecureModeRunsInsecureWhenFilesAreMissing() {
    cli.parseArgs(missingFiles(SecuritySetup.PERMIT_INSECURE_FLAG));
    SecuritySetup security = daemon.tls.setup();
    assertTrue(security.insecure());
    assertEquals("", err.toString());
  }
}
