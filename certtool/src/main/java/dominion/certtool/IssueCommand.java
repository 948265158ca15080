package dominion.certtool;

import dominion.proto.tls.CertificateAuthority;
import dominion.proto.tls.ExistingFiles;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.IssuedCertificate;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code certtool issue}: issues a certificate and key into OUT (cert.pem, key.pem). */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description =
        "Issue a certificate for NAME granting the given methods: writes OUT/cert.pem"
            + " and OUT/key.pem (the layout daemons read from /etc/ssl/<daemon>/ and users from"
            + " ~/.ssl/).")
final class IssueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--ca",
      required = true,
      paramLabel = "DIR",
      description = "The CA directory" + " (made by init-ca).")
  Path caDir;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description =
          "The user the certificate names: a daemon's role or a person's login. Servers log it with"
              + " each call.")
  String name;

  @Option(
      names = "--methods",
      split = ",",
      paramLabel = "GLOB",
      converter = Options.GlobConverter.class,
      description =
          "RPC methods it may call, comma-separated globs such as Subd.* or"
              + " ImageServer.AddImage ('*' matches any run of characters).")
  List<MethodGlob> methods = new ArrayList<>();

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      converter = Options.RoleConverter.class,
      description =
          "Add a role's preset methods: subd, dominator, imageserver, image-builder,"
              + " mdbd, admin (certtool roles lists them).")
  Role role;

  @Option(
      names = "--host",
      paramLabel = "NAME|IP",
      converter = Options.HostConverter.class,
      description =
          "A host name or IP address it may serve from (repeatable). Clients then"
              + " accept it only when they dial one of these. Without any, clients check only that"
              + " the CA issued it (one shared certificate for all subds).")
  List<String> hosts = new ArrayList<>();

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "365",
      description = "Days it is" + " valid (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--force", description = "Replace OUT/cert.pem and OUT/key.pem if they exist.")
  boolean force;

  @Parameters(paramLabel = "OUT", description = "Directory for cert.pem and key.pem.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Options.requirePositive(spec, "--days", days);
    List<MethodGlob> granted = new ArrayList<>();
    if (role != null) {
      granted.addAll(role.methods());
    }
    granted.addAll(methods);
    if (role == null && granted.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "no methods for " + name + ": give --methods GLOB,... or --role ROLE");
    }
    IssueRequest request;
    try {
      request = IssueRequest.lasting(name, granted, hosts, Instant.now(), Duration.ofDays(days));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CertificateAuthority ca = CertificateAuthority.load(caDir);
    IssuedCertificate issued = ca.issue(request);
    issued.writeTo(out, force ? ExistingFiles.REPLACE : ExistingFiles.REFUSE);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "issued certificate for %s, valid until %s%n  methods: %s%n  hosts:   %s%n  %s%n  %s%n",
        name,
        issued.certificate().getNotAfter().toInstant(),
        Show.join(request.methods()),
        request.hosts().isEmpty()
            ? "(none: any host; clients check the CA only)"
            : String.join(", ", request.hosts()),
        out.resolve(IssuedCertificate.CERT_FILE),
        out.resolve(IssuedCertificate.KEY_FILE));
    return 0;
  }
}
