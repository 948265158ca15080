package dominion.certtool;

import dominion.proto.tls.IssuedCertificate;
import dominion.proto.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code certtool show FILE}: prints what a certificate says. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Print a certificate's user, methods, hosts, issuer and validity. FILE is a PEM"
            + " certificate (cert.pem, CA.pem) or a directory holding cert.pem.")
final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The certificate file (or its directory).")
  Path file;

  @Override
  public Integer call() throws Exception {
    Path f = Files.isDirectory(file) ? file.resolve(IssuedCertificate.CERT_FILE) : file;
    List<X509Certificate> certs = Pem.readCertificates(f);
    Instant now = Instant.now();
    for (int i = 0; i < certs.size(); i++) {
      if (i > 0) {
        spec.commandLine().getOut().println();
      }
      Show.print(spec.commandLine().getOut(), f, certs.get(i), now);
    }
    return 0;
  }
}
