package dominion.subd.crash;

import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectGetter;
import dominion.proto.imageserver.GetObjectsRequest;
import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An imageserver's ObjectServer.GetObjects on loopback, in this JVM, serving from an {@link
 * ObjectGetter}. It can stall in the middle of one object (half its bytes sent) until released, so
 * that a test can kill subd while it holds a partial object.
 */
final class FakeObjectServer implements AutoCloseable {
  private final ObjectGetter objects;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final RpcServer server;
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile Hash stallAt;

  FakeObjectServer(ObjectGetter objects, ServerSecurity security)
      throws InterruptedException, IOException {
    this.objects = objects;
    server =
        new RpcServer(new RpcServer.Config("127.0.0.1", 0, "fake-imageserver"), security, workers);
    server.download(
        ImageServerMethods.GET_OBJECTS,
        GetObjectsRequest.class,
        ImageServerMethods.OBJECTS_CONTENT_TYPE,
        this::getObjects);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.port();
  }

  /** Makes the next request that reaches {@code hash} send half of it and wait. */
  void stallAt(Hash hash) {
    stallAt = hash;
  }

  /** Waits until the stall happened. */
  boolean awaitStall() throws InterruptedException {
    return stalled.await(SubdProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  private void getObjects(GetObjectsRequest request, CallContext call, OutputStream out)
      throws IOException, InterruptedException {
    for (String hex : request.hashes()) {
      Hash h = Hash.parse(hex);
      byte[] bytes;
      try (InputStream in = objects.get(h)) {
        bytes = in.readAllBytes();
      }
      ObjectFraming.writeLength(out, bytes.length);
      if (h.equals(stallAt)) {
        stallAt = null;
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        stalled.countDown();
        release.await(SubdProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        throw new IOException("stalled on purpose, then gave up");
      }
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.close();
    workers.shutdownNow();
  }
}
