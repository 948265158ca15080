/**
 * TLS for Dominion's RPC: the fleet's certificate authority, certificates that name a user and the
 * RPC methods it may call, and the SSL contexts servers and clients use.
 *
 * <p>Every RPC runs over TLS 1.3. Both sides trust only the fleet's CA. A certificate's subject
 * common name is the user; a project-private, non-critical extension ({@link MethodsExtension})
 * lists the method globs it may call; SubjectAltName DNS names and IP addresses, when present, are
 * the only hosts a client accepts the certificate from. Bouncy Castle appears only in this package
 * (and in certtool).
 */
package dominion.proto.tls;
