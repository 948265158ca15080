package dominion.proto.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: looks at its first bytes to tell a TLS handshake from a
 * plain HTTP request, so that a client speaking the wrong one gets a clear answer, and the daemon's
 * log a clear line, instead of a broken connection.
 *
 * <ul>
 *   <li>TLS server, TLS client: replaces itself with the {@code SslHandler} (which gathers what it
 *       reads in heap buffers if the server asks, see {@link HeapCumulator}), and puts a {@link
 *       LingerAfterFailedHandshake} in front of it.
 *   <li>TLS server, plain client: removes itself and tells the {@link RpcChannelHandler} to answer
 *       every request on the connection with {@link ErrorCode#UNAUTHENTICATED}, in plain HTTP.
 *   <li>Plain server, TLS client: logs why, answers in plain HTTP and closes. The client's TLS
 *       stack cannot read the answer and fails with "Unrecognized SSL message", which {@link
 *       RpcClient} explains. (The HTTP decoder would also refuse the handshake, as a malformed
 *       request, but the daemon's log would not say why.)
 *   <li>Plain server, plain client: removes itself.
 * </ul>
 *
 * <p>A TLS connection starts with a handshake record: content type 22, then protocol major version
 * 3. No HTTP request starts with byte 22.
 */
final class TlsSniffer extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(TlsSniffer.class);
  private static final int HANDSHAKE_RECORD = 22;
  private static final int TLS_MAJOR_VERSION = 3;

  /** Where a TLS connection's records are decrypted. */
  enum RecordBuffers {
    /** In the buffers Netty reads the socket into (direct ones). */
    NETTY,
    /** Gathered in heap buffers first (see {@link HeapCumulator}). */
    HEAP
  }

  private final String serverName;
  private final ServerSecurity security;
  private final RpcChannelHandler rpc;
  private final RecordBuffers recordBuffers;
  private boolean refused;

  TlsSniffer(
      String serverName,
      ServerSecurity security,
      RpcChannelHandler rpc,
      RecordBuffers recordBuffers) {
    this.serverName = serverName;
    this.security = security;
    this.rpc = rpc;
    this.recordBuffers = recordBuffers;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 2) {
      return;
    }
    int i = in.readerIndex();
    boolean tls =
        in.getUnsignedByte(i) == HANDSHAKE_RECORD && in.getUnsignedByte(i + 1) == TLS_MAJOR_VERSION;
    if (security instanceof ServerSecurity.Tls t) {
      if (tls) {
        // Bytes read so far are handed on to the SslHandler when this handler leaves.
        SslHandler handler = t.context().newHandler(ctx.alloc());
        ctx.pipeline()
            .replace(
                this,
                "tls",
                recordBuffers == RecordBuffers.HEAP ? HeapCumulator.install(handler) : handler)
            .addBefore("tls", "tls-linger", new LingerAfterFailedHandshake(handler));
      } else {
        log.warn(
            "{}: plain HTTP connection from {} refused: this server speaks only TLS",
            serverName,
            ctx.channel().remoteAddress());
        rpc.refusePlainHttp();
        ctx.pipeline().remove(this);
      }
    } else if (tls) {
      log.warn(
          "{}: TLS connection from {} refused: this server runs with --permit-insecure-mode and"
              + " speaks only plain HTTP",
          serverName,
          ctx.channel().remoteAddress());
      refused = true;
      in.skipBytes(in.readableBytes());
      ctx.writeAndFlush(plainRefusal()).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.pipeline().remove(this);
    }
  }

  private ByteBuf plainRefusal() {
    String body =
        serverName
            + " runs with --permit-insecure-mode and speaks only plain HTTP; call it without"
            + " TLS\n";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n";
    return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), bytes);
  }
}
