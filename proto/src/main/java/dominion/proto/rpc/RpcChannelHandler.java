package dominion.proto.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dominion.core.objectstore.HashMismatchException;
import dominion.core.objectstore.MissingObjectException;
import dominion.proto.http.Page;
import dominion.proto.http.PageResponse;
import dominion.proto.tls.Identity;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's HTTP/1.1 requests. Runs on the event loop: it routes each request, checks the
 * caller's authority, and hands the body to a handler on the worker executor. Requests on one
 * connection are served one at a time (clients do not pipeline); {@code body} is touched only on
 * the event loop.
 */
final class RpcChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RpcChannelHandler.class);
  private static final String RPC_PREFIX = "/rpc/";
  private static final int MAX_JSON_REQUEST = 512 << 20;
  private static final Duration REFUSED_BODY_GRACE = Duration.ofSeconds(10);

  private final String serverName;
  private final ServerSecurity security;
  private final Map<String, RpcServer.Route> routes;
  private final Map<String, Page> pages;
  private final ObjectMapper mapper;
  private final ExecutorService workers;
  private final RpcStats stats;
  private BodyInputStream body;
  private boolean discarding;
  private boolean closeAfterRequest;
  private boolean plainOnTlsPort;

  RpcChannelHandler(
      String serverName,
      ServerSecurity security,
      Map<String, RpcServer.Route> routes,
      Map<String, Page> pages,
      ObjectMapper mapper,
      ExecutorService workers,
      RpcStats stats) {
    this.serverName = serverName;
    this.security = security;
    this.routes = routes;
    this.pages = pages;
    this.mapper = mapper;
    this.workers = workers;
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        startRequest(ctx, request);
      }
      if (msg instanceof HttpContent content) {
        if (body != null && !discarding) {
          body.offer(content.content());
        }
        if (content instanceof LastHttpContent) {
          if (body != null) {
            body.end();
          }
          body = null;
          discarding = false;
          if (closeAfterRequest) {
            // After the answer already written: Netty writes in order.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
          }
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (body != null) {
      body.fail(new IOException("connection closed by the client before the request ended"));
      body = null;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      // A client certificate from another CA, or expired, ends here (the client sees an alert).
      log.warn(
          "{}: TLS handshake from {} failed: {}",
          serverName,
          ctx.channel().remoteAddress(),
          FailureText.describeHandshake(done.cause()));
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "{}: connection from {} failed: {}",
        serverName,
        ctx.channel().remoteAddress(),
        cause.toString());
    if (body != null) {
      body.fail(new IOException("connection failed: " + cause, cause));
      body = null;
    }
    ctx.close();
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest request) {
    Channel ch = ctx.channel();
    if (!request.decoderResult().isSuccess()) {
      discarding = true;
      sendError(
          ch, ErrorCode.INVALID_ARGUMENT, "bad HTTP request: " + request.decoderResult(), true);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    Map<String, String> params = new HashMap<>();
    uri.parameters().forEach((k, v) -> params.put(k, v.getLast()));
    String path = uri.path();
    boolean keepAlive = HttpUtil.isKeepAlive(request);

    if (plainOnTlsPort) {
      refuse(
          ch,
          ErrorCode.UNAUTHENTICATED,
          request.method()
              + " "
              + path
              + " refused by "
              + serverName
              + ": plain HTTP on a TLS port; call it over TLS (https) with a certificate"
              + " issued by the fleet's CA (a client run insecure cannot call a secure daemon)");
      return;
    }
    if (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD)) {
      discarding = true;
      Page page = pages.get(path);
      if (page == null) {
        sendError(ch, ErrorCode.NOT_FOUND, "no page " + path, !keepAlive);
        return;
      }
      submit(ch, () -> servePage(ch, page, params, keepAlive));
      return;
    }
    if (!request.method().equals(HttpMethod.POST) || !path.startsWith(RPC_PREFIX)) {
      refuse(ch, ErrorCode.NOT_FOUND, request.method() + " " + path + " is not served here");
      return;
    }
    String method = path.substring(RPC_PREFIX.length());
    RpcServer.Route route = routes.get(method);
    if (route == null) {
      refuse(ch, ErrorCode.NOT_FOUND, "unknown method " + method);
      return;
    }
    String user = null;
    if (!security.isInsecure()) {
      Identity identity;
      try {
        identity = identify(ctx, method);
      } catch (RpcException e) {
        refuseCall(ch, method, "(none)", e);
        return;
      }
      if (!identity.permits(method)) {
        refuseCall(
            ch,
            method,
            identity.user(),
            new RpcException(
                ErrorCode.PERMISSION_DENIED,
                "permission denied for "
                    + method
                    + ": user "
                    + identity.user()
                    + " may call only "
                    + identity.methods()));
        return;
      }
      user = identity.user();
    }
    BodyInputStream in = new BodyInputStream(ch);
    body = in;
    discarding = false;
    CallContext call = new CallContext(method, user, ch.remoteAddress(), Map.copyOf(params));
    log.debug("{}: {} from {}", serverName, method, call.who());
    stats.called(method);
    submit(ch, () -> serveRpc(ch, route, call, in, keepAlive));
  }

  /**
   * The identity in the client certificate the TLS handshake verified (chain to the fleet's CA,
   * validity dates). Servers accept connections without a certificate, for status pages; on those
   * every RPC is refused here. The dates are checked again for each call, because a keep-alive
   * connection or a resumed TLS session can outlive the certificate.
   */
  private Identity identify(ChannelHandlerContext ctx, String method) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    X509Certificate leaf = tls == null ? null : peerCertificate(tls.engine().getSession());
    if (leaf == null) {
      throw new RpcException(
          ErrorCode.UNAUTHENTICATED,
          "permission denied for "
              + method
              + ": no client certificate was presented;"
              + " call with a certificate issued by the fleet's CA");
    }
    Instant now = ((ServerSecurity.Tls) security).clock().instant();
    String who = "client certificate \"" + Identity.userOf(leaf) + "\"";
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new RpcException(
          ErrorCode.UNAUTHENTICATED,
          "permission denied for "
              + method
              + ": "
              + who
              + " expired "
              + leaf.getNotAfter().toInstant()
              + "; issue a new one with certtool issue");
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new RpcException(
          ErrorCode.UNAUTHENTICATED,
          "permission denied for "
              + method
              + ": "
              + who
              + " is not valid until "
              + leaf.getNotBefore().toInstant()
              + "; check the clocks of both hosts");
    }
    try {
      return Identity.fromCertificate(leaf);
    } catch (CertificateException e) {
      throw new RpcException(
          ErrorCode.PERMISSION_DENIED,
          "permission denied for " + method + ": unreadable client certificate: " + e.getMessage());
    }
  }

  /** The verified certificate of the session's peer, or null if it presented none. */
  private static X509Certificate peerCertificate(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private void refuseCall(Channel ch, String method, String user, RpcException e) {
    log.warn(
        "{}: refused {} to user {} at {}: {}",
        serverName,
        method,
        user,
        ch.remoteAddress(),
        e.getMessage());
    stats.failed(method);
    refuse(ch, e.code(), e.getMessage());
  }

  /**
   * Answers the current request with an error and closes the connection once the client has sent
   * the rest of its request (at most {@link #REFUSED_BODY_GRACE} later). Closing at once, with
   * request bytes unread, would make the kernel reset the connection, and the client could lose the
   * answer.
   */
  private void refuse(Channel ch, ErrorCode code, String message) {
    discarding = true;
    closeAfterRequest = true;
    sendError(ch, code, message, false, true);
    ch.eventLoop().schedule(() -> ch.close(), REFUSED_BODY_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Called by {@link TlsSniffer} when a client speaks plain HTTP to this TLS server. */
  void refusePlainHttp() {
    plainOnTlsPort = true;
  }

  private void submit(Channel ch, Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      sendError(ch, ErrorCode.UNAVAILABLE, serverName + " is shutting down", true);
    }
  }

  private void servePage(Channel ch, Page page, Map<String, String> query, boolean keepAlive) {
    PageResponse r;
    try {
      r = page.render(query);
    } catch (Exception | Error e) {
      log.warn("{}: page failed", serverName, e);
      sendError(ch, ErrorCode.INTERNAL, "page failed: " + e, !keepAlive || e instanceof Error);
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      return;
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()),
            Unpooled.wrappedBuffer(r.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    send(ch, response, !keepAlive);
  }

  private void serveRpc(
      Channel ch, RpcServer.Route route, CallContext call, BodyInputStream in, boolean keepAlive) {
    ChunkedResponseStream stream = null;
    try {
      switch (route) {
        case RpcServer.Route.UnaryRoute<?, ?> unary -> {
          Object response = callUnary(unary, in, call);
          sendJson(ch, response, keepAlive);
        }
        case RpcServer.Route.UploadRoute<?> upload -> {
          Object response = upload.handler().handle(in, call);
          drain(in);
          sendJson(ch, response, keepAlive);
        }
        case RpcServer.Route.DownloadRoute<?> download -> {
          stream = new ChunkedResponseStream(ch, download.contentType());
          callDownload(download, in, call, stream);
          stream.close();
          if (!keepAlive) {
            ch.close();
          }
        }
      }
    } catch (Exception | Error e) {
      // An Error too (a handler's bug, a stack overflow): the caller gets an answer now rather
      // than waiting out its timeout. The connection is not reused after one.
      stats.failed(call.method());
      RpcException error = toRpcException(call, e);
      if (stream != null && stream.started()) {
        log.warn(
            "{}: {} from {} failed mid-stream: {}",
            serverName,
            call.method(),
            call.who(),
            error.getMessage());
        ch.close();
      } else {
        sendError(
            ch,
            error.code(),
            error.getMessage(),
            !keepAlive || e instanceof Error || !drainQuietly(in));
      }
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    }
  }

  private <Q, R> R callUnary(
      RpcServer.Route.UnaryRoute<Q, R> unary, InputStream in, CallContext call) throws Exception {
    Q request = readJson(in, unary.request(), call.method());
    return unary.handler().handle(request, call);
  }

  private <Q> void callDownload(
      RpcServer.Route.DownloadRoute<Q> download, InputStream in, CallContext call, OutputStream out)
      throws Exception {
    Q request = readJson(in, download.request(), call.method());
    download.handler().handle(request, call, out);
  }

  private <Q> Q readJson(InputStream in, ObjectReader reader, String method) throws IOException {
    byte[] bytes = in.readNBytes(MAX_JSON_REQUEST + 1);
    if (bytes.length > MAX_JSON_REQUEST) {
      throw RpcException.invalid(
          "request to " + method + " is larger than " + (MAX_JSON_REQUEST >> 20) + " MiB");
    }
    if (bytes.length == 0) {
      bytes = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    try {
      return reader.readValue(bytes);
    } catch (JsonProcessingException e) {
      throw RpcException.invalid("bad request to " + method + ": " + e.getOriginalMessage());
    }
  }

  private RpcException toRpcException(CallContext call, Throwable e) {
    return switch (e) {
      case RpcException r -> r;
      case MissingObjectException m -> new RpcException(ErrorCode.NOT_FOUND, m.getMessage());
      case HashMismatchException h -> new RpcException(ErrorCode.INVALID_ARGUMENT, h.getMessage());
      case IllegalArgumentException i ->
          new RpcException(ErrorCode.INVALID_ARGUMENT, i.getMessage());
      case IOException io when String.valueOf(io.getMessage()).contains("No space left") ->
          new RpcException(
              ErrorCode.RESOURCE_EXHAUSTED,
              call.method() + " failed: no space left on " + serverName + "'s disk");
      default -> {
        log.error("{}: {} from {} failed", serverName, call.method(), call.who(), e);
        yield new RpcException(ErrorCode.INTERNAL, call.method() + " failed: " + e);
      }
    };
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  /** Reads the rest of a body so the connection can serve another request; false if it broke. */
  private static boolean drainQuietly(InputStream in) {
    try {
      drain(in);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void sendJson(Channel ch, Object value, boolean keepAlive) throws IOException {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(mapper.writeValueAsBytes(value)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    send(ch, response, !keepAlive);
  }

  private void sendError(Channel ch, ErrorCode code, String message, boolean close) {
    sendError(ch, code, message, close, close);
  }

  /**
   * @param close close the connection once the answer is written
   * @param closing tell the client the connection will close ({@code Connection: close})
   */
  private void sendError(
      Channel ch, ErrorCode code, String message, boolean close, boolean closing) {
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(new ErrorBody(code.name(), message));
    } catch (JsonProcessingException e) {
      json =
          ("{\"code\":\"" + code.name() + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(code.httpStatus()),
            Unpooled.wrappedBuffer(json));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    if (closing) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    send(ch, response, close);
  }

  private static void send(Channel ch, FullHttpResponse response, boolean close) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
      ch.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ch.writeAndFlush(response);
    }
  }
}
