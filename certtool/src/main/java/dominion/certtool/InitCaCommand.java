package dominion.certtool;

import dominion.proto.tls.CertificateAuthority;
import dominion.proto.tls.IssueRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code certtool init-ca DIR}: makes a new CA in DIR (CA.pem, CA.key.pem). */
@Command(
    name = "init-ca",
    mixinStandardHelpOptions = true,
    description =
        "Make a new fleet CA: writes DIR/CA.pem (give it to every host and user) and DIR/CA.key.pem"
            + " (keep it secret: it can issue any certificate). Refuses to replace an existing CA.")
final class InitCaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "Directory for CA.pem and CA.key.pem.")
  Path dir;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "Dominion fleet CA",
      description = "The CA's common name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "3650",
      description =
          "Days the CA is valid (default: ${DEFAULT-VALUE}); it cannot issue"
              + " certificates that outlive it.")
  int days;

  @Override
  public Integer call() throws Exception {
    Options.requirePositive(spec, "--days", days);
    Instant now = Instant.now();
    CertificateAuthority ca;
    try {
      ca =
          CertificateAuthority.create(
              name, now.minus(IssueRequest.CLOCK_SKEW), now.plus(Duration.ofDays(days)));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ca.writeTo(dir);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "made CA \"%s\", valid until %s:%n  %s (copy to /etc/ssl/CA.pem on every host,"
                + " ~/.ssl/CA.pem for users)%n  %s (keep secret)%n",
            name,
            ca.certificate().getNotAfter().toInstant(),
            dir.resolve(CertificateAuthority.CERT_FILE),
            dir.resolve(CertificateAuthority.KEY_FILE));
    return 0;
  }
}
