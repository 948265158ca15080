package dominion.proto.tls;

/** How a client checks that a server's certificate is for the host it dialled. */
public enum HostVerification {
  /**
   * If the server's certificate names hosts (SubjectAltName), the dialled host must be one of them;
   * if it names none (a fleet's one shared subd certificate), the chain to the fleet's CA is the
   * whole check. The default.
   */
  IF_NAMED,
  /** The server's certificate must name the dialled host; certificates naming no hosts fail. */
  REQUIRED
}
