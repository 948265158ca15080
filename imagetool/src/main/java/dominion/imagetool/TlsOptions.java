package dominion.imagetool;

import dominion.proto.rpc.SecuritySetup;
import dominion.proto.tls.TlsException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * How imagetool proves who it is (see docs/security.md): TLS with the certificate in {@code ~/.ssl}
 * or the files named by {@code --ca --cert --key}; {@code --insecure} for plain HTTP to a server
 * run with {@code --permit-insecure-mode}. Accepted before or after the command.
 */
public final class TlsOptions {
  @Option(
      names = "--ca",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Fleet CA certificate (default ~/.ssl/CA.pem).")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Your certificate (default ~/.ssl/cert.pem).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Its private key (default ~/.ssl/key.pem).")
  Path key;

  @Option(
      names = "--insecure",
      scope = ScopeType.INHERIT,
      description =
          "Plain HTTP without certificates, for an imageserver run with"
              + " --permit-insecure-mode.")
  boolean insecure;

  /**
   * The client's security (see {@link SecuritySetup#forCli}): TLS with the user's certificate, or
   * plain HTTP with {@code --insecure}.
   *
   * @throws TlsException naming each missing or bad file, and how to run without TLS
   */
  SecuritySetup setup() throws TlsException {
    return SecuritySetup.forCli(ca, cert, key, insecure);
  }
}
