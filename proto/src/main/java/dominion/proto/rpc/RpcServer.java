package dominion.proto.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dominion.core.json.Json;
import dominion.proto.http.Page;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's one port: RPCs as {@code POST /rpc/Service.Method} and pages as {@code GET /path},
 * over HTTP/1.1, plain or TLS. Netty's event loop only parses and moves bytes; every handler runs
 * on the {@code workers} executor and may block (virtual threads suit it).
 *
 * <p>Register every handler and page before {@link #start()}.
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

  /**
   * @param bindAddress the address to listen on ({@code 0.0.0.0} for all)
   * @param port the port; 0 picks a free one (see {@link #port()})
   * @param name the daemon's name, for logs
   */
  public record Config(String bindAddress, int port, String name) {}

  /** One registered RPC; {@code request} reads its JSON request. */
  sealed interface Route {
    record UnaryRoute<Q, R>(ObjectReader request, Handlers.Unary<Q, R> handler) implements Route {}

    record DownloadRoute<Q>(ObjectReader request, String contentType, Handlers.Download<Q> handler)
        implements Route {}

    record UploadRoute<R>(Handlers.Upload<R> handler) implements Route {}
  }

  private final Config config;
  private final ServerSecurity security;
  private final ExecutorService workers;
  private final ObjectMapper mapper = Json.mapper();
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, Page> pages = new ConcurrentHashMap<>();
  private final RpcStats stats = new RpcStats();
  private volatile TlsSniffer.RecordBuffers recordBuffers = TlsSniffer.RecordBuffers.NETTY;
  private EventLoopGroup boss;
  private EventLoopGroup io;
  private Channel listener;

  public RpcServer(Config config, ServerSecurity security, ExecutorService workers) {
    this.config = config;
    this.security = security;
    this.workers = workers;
  }

  /**
   * Has TLS connections gather what they read in heap buffers before the JDK decrypts it (see
   * {@link HeapCumulator}): for a daemon that is also a client over the JDK's TLS sockets, as subd
   * is, so that the JIT compiles the record decryption for one kind of buffer. Other daemons keep
   * Netty's direct buffers: an upload of 128 MiB cost the imageserver 10% more CPU in heap buffers.
   * Call before {@link #start}.
   */
  public RpcServer decryptInHeapBuffers() {
    recordBuffers = TlsSniffer.RecordBuffers.HEAP;
    return this;
  }

  /** Serves {@code method} ({@code Service.Method}): JSON in, JSON out. */
  public <Q, R> RpcServer unary(String method, Class<Q> requestType, Handlers.Unary<Q, R> h) {
    return route(method, new Route.UnaryRoute<>(reader(requestType), h));
  }

  /** Serves {@code method}: JSON in, a byte stream of {@code contentType} out. */
  public <Q> RpcServer download(
      String method, Class<Q> requestType, String contentType, Handlers.Download<Q> h) {
    return route(method, new Route.DownloadRoute<>(reader(requestType), contentType, h));
  }

  // Jackson builds a type's deserializer by introspection on its first use: 35-50 ms for
  // Subd.Update's request in a fresh JVM, where the code still runs interpreted. A reader builds it
  // when it is made, so the method's first call does not wait for it.
  private ObjectReader reader(Class<?> requestType) {
    return mapper.readerFor(requestType);
  }

  /** Serves {@code method}: a byte stream in (parameters in the query string), JSON out. */
  public <R> RpcServer upload(String method, Handlers.Upload<R> h) {
    return route(method, new Route.UploadRoute<>(h));
  }

  /** Serves {@code GET path} without authentication (status pages, metrics, health). */
  public RpcServer page(String path, Page page) {
    pages.put(path, page);
    return this;
  }

  private RpcServer route(String method, Route route) {
    if (routes.putIfAbsent(method, route) != null) {
      throw new IllegalStateException("method registered twice: " + method);
    }
    return this;
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws IOException if the address cannot be listened on (in use, not local, not permitted);
   *     the message names the address
   */
  public RpcServer start() throws InterruptedException, IOException {
    boss = new NioEventLoopGroup(1);
    io = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    RpcChannelHandler rpc =
                        new RpcChannelHandler(
                            config.name(), security, routes, pages, mapper, workers, stats);
                    // The sniffer installs the SslHandler in its place if the client speaks TLS.
                    ch.pipeline()
                        .addLast(
                            "sniffer", new TlsSniffer(config.name(), security, rpc, recordBuffers));
                    ch.pipeline().addLast("http", new HttpServerCodec(8192, 65536, 65536));
                    ch.pipeline().addLast("rpc", rpc);
                  }
                });
    ChannelFuture bound = bootstrap.bind(config.bindAddress(), config.port()).await();
    if (!bound.isSuccess()) {
      close();
      Throwable cause = bound.cause();
      throw new IOException(
          "listen on "
              + config.bindAddress()
              + ":"
              + config.port()
              + ": "
              + (cause.getMessage() != null ? cause.getMessage() : cause.toString()),
          cause);
    }
    listener = bound.channel();
    log.info(
        "{} listening on {} ({})",
        config.name(),
        listener.localAddress(),
        security.isInsecure() ? "INSECURE: plain HTTP, no client certificates" : "TLS");
    return this;
  }

  /** The bound port (useful after binding port 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public ServerSecurity security() {
    return security;
  }

  /** Per-method call counts and errors, for the daemon's metrics page. */
  public RpcStats stats() {
    return stats;
  }

  /** Stops listening and closes every connection. Idempotent. */
  @Override
  public synchronized void close() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
      listener = null;
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      boss = null;
    }
  }
}
