package dominion.proto.rpc;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * Describes why a connection failed, for {@link RpcClient}'s messages and the server's log. The
 * JDK's HTTP client wraps failures several deep and its TLS messages do not say which side is
 * wrong, so TLS failures get a hint for the operator: the server does not speak TLS, it refused
 * this program's certificate, or its own certificate was refused (and why).
 *
 * <p>The hints are read from the JDK's exception types and messages. They are only text for people:
 * the call's {@link ErrorCode} does not depend on them.
 */
final class FailureText {
  private static final String ALERT = "Received fatal alert: ";

  private FailureText() {}

  static String describe(Throwable e) {
    String inner = innermost(e);
    SSLException ssl = find(e, SSLException.class);
    if (ssl == null) {
      return inner;
    }
    String m = String.valueOf(ssl.getMessage());
    if (m.contains("Unrecognized SSL message") || m.contains("unrecognized SSL message")) {
      return "the server does not speak TLS; does it run with "
          + SecuritySetup.PERMIT_INSECURE_FLAG
          + "? ("
          + m
          + ")";
    }
    int alert = m.indexOf(ALERT);
    if (alert >= 0) {
      String name = m.substring(alert + ALERT.length()).trim();
      if (name.contains("certificate")
          || name.contains("unknown_ca")
          || name.contains("access_denied")) {
        return "the server refused this program's certificate ("
            + name
            + "): was it issued by"
            + " the server's CA, and has it expired?";
      }
      return "TLS failed: " + m;
    }
    CertificateExpiredException expired = find(e, CertificateExpiredException.class);
    if (expired != null) {
      return "the server's certificate has expired (" + expired.getMessage() + ")";
    }
    CertificateNotYetValidException early = find(e, CertificateNotYetValidException.class);
    if (early != null) {
      return "the server's certificate is not valid yet ("
          + early.getMessage()
          + "); check the clocks of both hosts";
    }
    if (inner.contains("unable to find valid certification path")) {
      return "the server's certificate was not issued by this program's CA (" + inner + ")";
    }
    CertificateException refused = find(e, CertificateException.class);
    if (refused != null) {
      return "the server's certificate was refused: " + innermost(refused);
    }
    return inner.equals(m) ? "TLS failed: " + m : "TLS failed: " + m + ": " + inner;
  }

  /** Why a client's TLS handshake with this server failed, for the server's log. */
  static String describeHandshake(Throwable e) {
    String inner = innermost(e);
    CertificateExpiredException expired = find(e, CertificateExpiredException.class);
    if (expired != null) {
      return "the client's certificate has expired (" + expired.getMessage() + ")";
    }
    CertificateNotYetValidException early = find(e, CertificateNotYetValidException.class);
    if (early != null) {
      return "the client's certificate is not valid yet ("
          + early.getMessage()
          + "); check the clocks of both hosts";
    }
    if (inner.contains("unable to find valid certification path")) {
      return "the client's certificate was not issued by this server's CA (" + inner + ")";
    }
    SSLException ssl = find(e, SSLException.class);
    String m = ssl == null ? "" : String.valueOf(ssl.getMessage());
    if (m.contains(ALERT)) {
      return "the client refused this server's certificate? (" + m + ")";
    }
    if (find(e, ClosedChannelException.class) != null) {
      return "the client closed the connection during the handshake (did it refuse this"
          + " server's certificate?)";
    }
    return inner;
  }

  /** The innermost message of a failure, which the JDK client tends to wrap. */
  static String innermost(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
