package dominion.proto.tls;

import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Runs a TLS handshake between a client and a server engine in memory, without sockets, and reports
 * how each side ended.
 */
final class EnginePair {
  /** How the handshake ended; an error on either side means the connection was refused. */
  record Outcome(SSLException clientError, SSLException serverError, SSLSession serverSession) {
    boolean ok() {
      return clientError == null && serverError == null;
    }

    Optional<Identity> clientIdentity() throws Exception {
      return Identity.fromSession(serverSession);
    }
  }

  private static final int ROUNDS = 200;

  private final SSLEngine client;
  private final SSLEngine server;
  private final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer appIn = ByteBuffer.allocate(1 << 17);
  private SSLException clientError;
  private SSLException serverError;

  private EnginePair(SSLEngine client, SSLEngine server) {
    this.client = client;
    this.server = server;
  }

  static Outcome handshake(SSLEngine client, SSLEngine server) throws SSLException {
    client.setUseClientMode(true);
    server.setUseClientMode(false);
    EnginePair p = new EnginePair(client, server);
    client.beginHandshake();
    server.beginHandshake();
    p.run();
    return new Outcome(p.clientError, p.serverError, server.getSession());
  }

  private void run() {
    for (int i = 0; i < ROUNDS; i++) {
      boolean moved = false;
      if (clientError == null) {
        try {
          moved |= wrap(client, toServer);
        } catch (SSLException e) {
          clientError = e;
        }
      }
      if (serverError == null) {
        try {
          moved |= wrap(server, toClient);
        } catch (SSLException e) {
          serverError = e;
        }
      }
      if (clientError == null) {
        try {
          moved |= unwrap(client, toClient);
        } catch (SSLException e) {
          clientError = e;
        }
      }
      if (serverError == null) {
        try {
          moved |= unwrap(server, toServer);
        } catch (SSLException e) {
          serverError = e;
        }
      }
      boolean done = done(client) && done(server);
      if (!moved && (done || clientError != null || serverError != null)) {
        return;
      }
    }
    throw new AssertionError("handshake did not finish in " + ROUNDS + " rounds");
  }

  private static boolean done(SSLEngine e) {
    HandshakeStatus s = e.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  private static boolean wrap(SSLEngine e, ByteBuffer out) throws SSLException {
    if (e.isOutboundDone()) {
      return false;
    }
    int before = out.position();
    e.wrap(ByteBuffer.allocate(0), out);
    runTasks(e);
    return out.position() != before;
  }

  private boolean unwrap(SSLEngine e, ByteBuffer in) throws SSLException {
    in.flip();
    try {
      if (!in.hasRemaining() || e.isInboundDone()) {
        return false;
      }
      int before = in.remaining();
      e.unwrap(in, appIn);
      runTasks(e);
      appIn.clear();
      return in.remaining() != before;
    } finally {
      in.compact();
    }
  }

  private static void runTasks(SSLEngine e) {
    for (Runnable task = e.getDelegatedTask(); task != null; task = e.getDelegatedTask()) {
      task.run();
    }
  }
}
