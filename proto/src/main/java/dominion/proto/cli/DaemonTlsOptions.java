package dominion.proto.cli;

import dominion.proto.rpc.SecuritySetup;
import dominion.proto.tls.TlsException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A daemon's TLS flags, {@code --ca --cert --key} and {@value SecuritySetup#PERMIT_INSECURE_FLAG},
 * as a picocli mixin. The command's name is the daemon's name (its directory under {@code
 * /etc/ssl}). What the certificate is shown to and what running insecure exposes differ by daemon:
 * the command's resource bundle says it under the keys {@code tls.cert} and {@code
 * tls.permit-insecure-mode}.
 */
public final class DaemonTlsOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "The fleet's CA certificate (default /etc/ssl/CA.pem).")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      descriptionKey = "tls.cert",
      description = "This daemon's certificate (default /etc/ssl/${COMMAND-NAME}/cert.pem).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Its private key (default /etc/ssl/${COMMAND-NAME}/key.pem).")
  Path key;

  @Option(
      names = SecuritySetup.PERMIT_INSECURE_FLAG,
      descriptionKey = "tls.permit-insecure-mode",
      description =
          "When a TLS file is missing, run without TLS instead of refusing to start. Logged and"
              + " shown on the status page. With all three files present TLS is used.")
  boolean permitInsecureMode;

  /**
   * The daemon's security from these flags (see {@link SecuritySetup#forDaemon}); null, after
   * saying why on the command line's error stream, when the daemon must not start.
   */
  public SecuritySetup setup() {
    String daemon = mixee.name();
    try {
      return SecuritySetup.forDaemon(daemon, ca, cert, key, permitInsecureMode);
    } catch (TlsException e) {
      mixee.commandLine().getErr().println(daemon + ": " + e.getMessage());
      return null;
    }
  }
}
