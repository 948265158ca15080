package dominion.subd.rehearsal;

import dominion.core.hash.Hash;
import dominion.proto.imageserver.GetObjectsRequest;
import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.RpcException;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdMethods;
import dominion.proto.subd.UpdateRequest;
import dominion.proto.tls.CertificateAuthority;
import dominion.proto.tls.HostVerification;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.MethodGlob;
import dominion.proto.tls.TlsContexts;
import dominion.proto.tls.TlsCredentials;
import dominion.subd.rpc.UpdateHandler;
import dominion.subd.update.Updater;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * The imageserver and the subd of a rehearsal, on a loopback port: ObjectServer.GetObjects serves
 * the made-up objects of the current round (made again from their seeds, see {@link
 * ScratchImage.Content}), through the same RPC server, TLS and framing as a real imageserver;
 * Subd.Update hands a request to the scratch root's updater through the same decoding and handler
 * as a real subd. With TLS, its certificates come from a CA made for this server alone and
 * forgotten with it: only the rehearsal's own client can call it (both methods), and it trusts
 * nobody else. Without TLS, like the subd it rehearses for, it is open to any local caller while it
 * runs, but only ever writes the scratch tree.
 */
final class RehearsalServer implements AutoCloseable {
  // The certificates' lifetime; the CA's is a day longer, as a CA must outlast what it issues.
  private static final Duration LIFETIME = Duration.ofHours(1);

  private final Map<Hash, ScratchImage.Content> objects = new ConcurrentHashMap<>();
  private final RpcServer server;
  private final HttpClient client;
  private final boolean tls;

  /**
   * @param tls serve (and fetch) over TLS, as the subd fetches from real imageservers
   * @param updater the scratch root's updater, whose Subd.Update this server serves too
   */
  RehearsalServer(boolean tls, Updater updater, ExecutorService workers) throws IOException {
    this.tls = tls;
    ServerSecurity security = ServerSecurity.insecure();
    SSLContext clientContext = null;
    if (tls) {
      Instant now = Instant.now();
      CertificateAuthority ca =
          CertificateAuthority.create(
              "subd rehearsal",
              now.minus(Duration.ofDays(1)),
              now.plus(LIFETIME).plus(Duration.ofDays(1)));
      TlsCredentials server =
          TlsCredentials.of(
              ca.certificate(),
              ca.issue(
                  IssueRequest.lasting(
                      "subd-rehearsal-server", List.of(), List.of("127.0.0.1"), now, LIFETIME)));
      TlsCredentials fetcher =
          TlsCredentials.of(
              ca.certificate(),
              ca.issue(
                  IssueRequest.lasting(
                      "subd-rehearsal",
                      List.of(
                          new MethodGlob(ImageServerMethods.GET_OBJECTS),
                          new MethodGlob(SubdMethods.UPDATE)),
                      List.of(),
                      now,
                      LIFETIME)));
      security = ServerSecurity.tls(server, null);
      clientContext = TlsContexts.jdkClient(fetcher, HostVerification.REQUIRED);
    }
    this.client = RpcClients.newHttpClient(clientContext, Duration.ofSeconds(10), workers);
    this.server =
        new RpcServer(new RpcServer.Config("127.0.0.1", 0, "subd-rehearsal"), security, workers)
            .decryptInHeapBuffers()
            .download(
                ImageServerMethods.GET_OBJECTS,
                GetObjectsRequest.class,
                ImageServerMethods.OBJECTS_CONTENT_TYPE,
                (request, call, out) -> {
                  List<ScratchImage.Content> contents = new ArrayList<>();
                  for (String hex : request.hashes()) {
                    ScratchImage.Content c = objects.get(Hash.parse(hex));
                    if (c == null) {
                      throw RpcException.notFound("get objects: " + hex + " is not stored");
                    }
                    contents.add(c);
                  }
                  // Each object is sent in a TLS record (or more) of its own: the fetch's
                  // per-record code then runs once per object, often enough to be compiled (see
                  // Rehearsal.Config.DEFAULT), where records of 16 KiB would need some 80 MiB.
                  for (ScratchImage.Content c : contents) {
                    ObjectFraming.writeLength(out, c.size());
                    out.write(c.bytes());
                    out.flush();
                  }
                })
            .unary(SubdMethods.UPDATE, UpdateRequest.class, new UpdateHandler(updater));
    try {
      server.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException("interrupted while starting the rehearsal server");
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Serves {@code round} (and nothing else). */
  void serve(Map<Hash, ScratchImage.Content> round) {
    objects.clear();
    objects.putAll(round);
  }

  /** The address to fetch from. */
  String address() {
    return "127.0.0.1:" + server.port();
  }

  /** A client that fetches from this server (the one client it admits, with TLS). */
  HttpClient client() {
    return client;
  }

  /** Calls this server's Subd.Update, as the dominator calls a subd's. */
  SubdClient subd() {
    return new SubdClient(
        new RpcClient(client, tls, "127.0.0.1", server.port(), Duration.ofMinutes(1)));
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
