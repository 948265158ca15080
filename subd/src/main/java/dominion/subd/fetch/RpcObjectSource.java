package dominion.subd.fetch;

import dominion.core.hash.Hash;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.rpc.RpcClient;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** Fetches from an imageserver with {@link ObjectClient#openObjects} (ObjectServer.GetObjects). */
public final class RpcObjectSource implements ObjectSource {
  private static final int DEFAULT_PORT = 6971;

  private final HttpClient http;
  private final boolean tls;
  private final Duration timeout;

  public RpcObjectSource(HttpClient http, boolean tls, Duration timeout) {
    this.http = http;
    this.tls = tls;
    this.timeout = timeout;
  }

  @Override
  public InputStream getObjects(String serverAddress, List<Hash> hashes) {
    HostPort target = HostPort.parse(serverAddress, DEFAULT_PORT);
    RpcClient client = new RpcClient(http, tls, target.host(), target.port(), timeout);
    return new ObjectClient(client).openObjects(hashes);
  }
}
