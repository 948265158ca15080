package dominion.subd.fetch;

import dominion.core.hash.Hash;
import dominion.proto.rpc.RpcClient;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fetches from an imageserver over RPC. The request is {@code {"hashes": [hex...]}} (the
 * imageserver's GetObjectsRequest), the response the length-prefixed objects.
 */
public final class RpcObjectSource implements ObjectSource {
  static final String GET_OBJECTS = "ObjectServer.GetObjects";
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
    return client.download(GET_OBJECTS, Map.of("hashes", hashes.stream().map(Hash::hex).toList()));
  }
}
