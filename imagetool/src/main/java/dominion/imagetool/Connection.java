package dominion.imagetool;

import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.SecuritySetup;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The clients of one imageserver, for one command. Close it when the command ends. */
final class Connection implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final ImageServerClient images;
  private final ObjectClient objects;

  /**
   * @param security TLS with the user's certificate, or plain HTTP
   */
  Connection(ServerOptions server, SecuritySetup security) {
    this.http = security.newHttpClient(CONNECT_TIMEOUT, executor);
    RpcClient rpc = security.client(http, server.host(), server.port(), CALL_TIMEOUT);
    this.images = new ImageServerClient(rpc);
    this.objects = new ObjectClient(rpc);
  }

  ImageServerClient images() {
    return images;
  }

  ObjectClient objects() {
    return objects;
  }

  @Override
  public void close() {
    // Every call has finished by now; a graceful close() would wait for idle pooled
    // connections and the selector thread, about two seconds here.
    http.shutdownNow();
    executor.shutdownNow();
  }
}
