package dominion.proto.rpc;

import dominion.proto.tls.HostVerification;
import dominion.proto.tls.Identity;
import dominion.proto.tls.TlsConfig;
import dominion.proto.tls.TlsContexts;
import dominion.proto.tls.TlsCredentials;
import dominion.proto.tls.TlsException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program's transport security, chosen once from its flags: TLS 1.3 with its certificate, or
 * plain HTTP when an operator asked for it. Daemons serve with {@link #serverSecurity()}; daemons
 * and CLIs call others with {@link #newHttpClient} and {@link #client}.
 *
 * <p>Daemons: {@link #forDaemon} reads {@code /etc/ssl/CA.pem} and {@code
 * /etc/ssl/<daemon>/{cert,key}.pem} (each overridden by {@code --ca --cert --key}). If any is
 * missing the daemon must not start, unless it was run with {@value #PERMIT_INSECURE_FLAG}: then it
 * runs insecure and says so in a WARN log. The flag permits insecure mode, it does not force it:
 * with all three files present the daemon runs TLS, and files that are present but wrong (an
 * expired certificate, a key that is not the certificate's) stop it with or without the flag.
 *
 * <p>CLIs: {@link #forCli} reads {@code ~/.ssl/{CA,cert,key}.pem} (same flags), or, with {@value
 * #CLI_INSECURE_FLAG}, calls in plain HTTP without reading anything (to reach a daemon run
 * insecure, which does not speak TLS).
 *
 * <p>Clients check servers' certificates with {@link HostVerification#IF_NAMED}. Immutable and
 * thread-safe.
 */
public final class SecuritySetup {
  /** The daemons' flag that lets them run without TLS files. */
  public static final String PERMIT_INSECURE_FLAG = "--permit-insecure-mode";

  /** The CLIs' flag that makes them call in plain HTTP. */
  public static final String CLI_INSECURE_FLAG = "--insecure";

  /** The connect timeout of {@link #newHttpClient(Executor)}. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(SecuritySetup.class);

  /** Null when insecure. */
  private final TlsCredentials credentials;

  /** The user and expiry of the credentials' certificate; null when insecure. */
  private final OwnCertificate certificate;

  /** Null for a CLI's TLS setup. */
  private final ServerSecurity serverSecurity;

  /** Null when insecure. */
  private final SSLContext clientContext;

  private final String summary;

  private SecuritySetup(
      TlsCredentials credentials,
      OwnCertificate certificate,
      ServerSecurity serverSecurity,
      SSLContext clientContext,
      String summary) {
    this.credentials = credentials;
    this.certificate = certificate;
    this.serverSecurity = serverSecurity;
    this.clientContext = clientContext;
    this.summary = summary;
  }

  /**
   * A daemon's security from its flags.
   *
   * @param daemon the daemon's name, which is also its directory under {@code /etc/ssl}
   * @param ca the {@code --ca} flag, or null for {@code /etc/ssl/CA.pem}
   * @param cert the {@code --cert} flag, or null for {@code /etc/ssl/<daemon>/cert.pem}
   * @param key the {@code --key} flag, or null for {@code /etc/ssl/<daemon>/key.pem}
   * @param permitInsecure {@value #PERMIT_INSECURE_FLAG} was given: run insecure if a file is
   *     missing
   * @throws TlsException if a file is missing (without {@code permitInsecure}) or the files are
   *     unreadable, expired or do not belong together; the message names each file and says what to
   *     do
   */
  public static SecuritySetup forDaemon(
      String daemon, Path ca, Path cert, Path key, boolean permitInsecure) throws TlsException {
    TlsConfig files = TlsConfig.forDaemon(daemon, ca, cert, key);
    String missing = files.missingFilesMessage();
    if (missing != null) {
      if (permitInsecure) {
        log.warn(
            "{} runs INSECURE ({}): {}. It serves plain HTTP and lets anyone who can reach its"
                + " port call every method; never run it so on a network",
            daemon,
            PERMIT_INSECURE_FLAG,
            missing);
        return insecureSetup(daemon + " runs with " + PERMIT_INSECURE_FLAG);
      }
      throw new TlsException(
          "start "
              + daemon
              + " with TLS: "
              + missing
              + ", or run with "
              + PERMIT_INSECURE_FLAG
              + " to serve plain HTTP without authentication (never on a network)");
    }
    TlsCredentials c;
    try {
      c = files.load();
    } catch (TlsException e) {
      throw new TlsException(
          "start "
              + daemon
              + " with TLS: "
              + e.getMessage()
              + (permitInsecure
                  ? " (" + PERMIT_INSECURE_FLAG + " applies only when files are missing)"
                  : ""),
          e);
    }
    SecuritySetup s = withCredentials(c, HostVerification.IF_NAMED);
    log.info("{} runs {}", daemon, s.summary());
    s.warnIfExpiringSoon();
    return s;
  }

  /**
   * A CLI's security from its flags.
   *
   * @param ca the {@code --ca} flag, or null for {@code ~/.ssl/CA.pem}
   * @param cert the {@code --cert} flag, or null for {@code ~/.ssl/cert.pem}
   * @param key the {@code --key} flag, or null for {@code ~/.ssl/key.pem}
   * @param insecure {@value #CLI_INSECURE_FLAG} was given: call in plain HTTP, read no files
   * @throws TlsException if a file is missing, unreadable or expired, or the files do not belong
   *     together; the message names each file and says what to do
   */
  public static SecuritySetup forCli(Path ca, Path cert, Path key, boolean insecure)
      throws TlsException {
    if (insecure) {
      log.warn(
          "calling without TLS ({}): plain HTTP and no certificate; only daemons run with {}"
              + " will answer",
          CLI_INSECURE_FLAG,
          PERMIT_INSECURE_FLAG);
      return insecureSetup("calls without TLS (" + CLI_INSECURE_FLAG + ")");
    }
    TlsConfig files = TlsConfig.forCli(ca, cert, key);
    String missing = files.missingFilesMessage();
    if (missing != null) {
      throw new TlsException(
          missing
              + ", or run with "
              + CLI_INSECURE_FLAG
              + " to call daemons that run with "
              + PERMIT_INSECURE_FLAG);
    }
    SecuritySetup s = clientOnly(files.load(), HostVerification.IF_NAMED);
    s.warnIfExpiringSoon();
    return s;
  }

  /** TLS with credentials already loaded and checked (tests, and programs that make their own). */
  public static SecuritySetup withCredentials(
      TlsCredentials credentials, HostVerification hostVerification) throws TlsException {
    OwnCertificate certificate = OwnCertificate.of(credentials);
    return new SecuritySetup(
        credentials,
        certificate,
        ServerSecurity.tls(credentials, certificate),
        TlsContexts.jdkClient(credentials, hostVerification),
        certificate.summary());
  }

  /**
   * A CLI's TLS: a client context only. (A server context would load Netty's TLS machinery into a
   * program that serves nothing.)
   */
  private static SecuritySetup clientOnly(
      TlsCredentials credentials, HostVerification hostVerification) throws TlsException {
    OwnCertificate certificate = OwnCertificate.of(credentials);
    return new SecuritySetup(
        credentials,
        certificate,
        null,
        TlsContexts.jdkClient(credentials, hostVerification),
        certificate.summary());
  }

  /** Plain HTTP, logging nothing: for tests. Programs get it from their flags. */
  public static SecuritySetup plain() {
    return insecureSetup("plain HTTP (test)");
  }

  private static SecuritySetup insecureSetup(String why) {
    return new SecuritySetup(
        null,
        null,
        ServerSecurity.insecure(),
        null,
        "INSECURE: " + why + "; plain HTTP, no certificates, every caller may call every method");
  }

  /** Whether connections are TLS. */
  public boolean tls() {
    return credentials != null;
  }

  /** Whether connections are plain HTTP, without authentication. */
  public boolean insecure() {
    return credentials == null;
  }

  /**
   * What a daemon's {@link RpcServer} serves with.
   *
   * @throws IllegalStateException for a CLI's TLS setup ({@link #forCli}), which serves nothing
   */
  public ServerSecurity serverSecurity() {
    if (serverSecurity == null) {
      throw new IllegalStateException("a CLI's security setup has no server side");
    }
    return serverSecurity;
  }

  /**
   * The client context for {@link RpcClients#newHttpClient}: presents this program's certificate
   * and trusts only the fleet's CA. Null when insecure.
   */
  public SSLContext clientContext() {
    return clientContext;
  }

  /** The user and methods of this program's certificate; null when insecure. */
  public Identity identity() {
    try {
      return credentials == null ? null : credentials.identity();
    } catch (CertificateException e) {
      // Checked when the credentials were loaded.
      throw new IllegalStateException(e);
    }
  }

  /** When this program's certificate expires; null when insecure. */
  public Instant certificateExpiry() {
    return certificate == null ? null : certificate.expiry();
  }

  /**
   * One line for status pages and logs: {@code TLS 1.3 as user "subd", certificate expires ...}, or
   * one starting {@code INSECURE:}.
   */
  public String summary() {
    return summary;
  }

  /** A shared HTTP client ({@link RpcClients}) with a {@link #CONNECT_TIMEOUT} connect timeout. */
  public HttpClient newHttpClient(Executor executor) {
    return newHttpClient(CONNECT_TIMEOUT, executor);
  }

  /**
   * A shared HTTP client ({@link RpcClients}): TLS with this program's certificate, or plain.
   *
   * @param executor runs the client's response handling (virtual threads suit it)
   */
  public HttpClient newHttpClient(Duration connectTimeout, Executor executor) {
    return RpcClients.newHttpClient(clientContext, connectTimeout, executor);
  }

  /**
   * A client of the daemon at {@code host:port}, speaking TLS or plain HTTP as this setup does.
   *
   * @param http from {@link #newHttpClient} of this setup
   * @param timeout the limit on a unary call
   */
  public RpcClient client(HttpClient http, String host, int port, Duration timeout) {
    return new RpcClient(http, tls(), host, port, timeout);
  }

  @Override
  public String toString() {
    return summary;
  }

  private void warnIfExpiringSoon() {
    Instant now = Instant.now();
    if (certificate.dueForRenewalAt(now)) {
      log.warn(
          "certificate of user \"{}\" expires {} (in {} days); issue a new one with certtool issue",
          certificate.user(),
          certificate.expiry(),
          Duration.between(now, certificate.expiry()).toDays());
    }
  }
}
