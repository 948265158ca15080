package dominion.proto.rpc;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Makes the shared {@link HttpClient} behind {@link RpcClient}s. */
public final class RpcClients {
  private RpcClients() {}

  /**
   * An HTTP/1.1 client; with a non-null {@code tls} context every connection is TLS 1.3 and
   * presents that context's certificate.
   *
   * @param executor runs the client's response handling (virtual threads suit it)
   */
  public static HttpClient newHttpClient(
      SSLContext tls, Duration connectTimeout, Executor executor) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor);
    if (tls != null) {
      SSLParameters params = tls.getDefaultSSLParameters();
      params.setProtocols(new String[] {"TLSv1.3"});
      b.sslContext(tls).sslParameters(params);
    }
    return b.build();
  }
}
