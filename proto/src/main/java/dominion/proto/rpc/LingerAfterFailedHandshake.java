package dominion.proto.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a TLS connection whose handshake failed open for a moment after the server's alert, reading
 * and dropping what the client still sends, until the client closes or {@link #LINGER} passes. In
 * TLS 1.3 a client sends its request right after its part of the handshake, before the server has
 * checked its certificate; closed at once with that request unread, the connection is reset, and a
 * client still sending (an upload) got "Broken pipe" instead of the alert that says why: its
 * certificate was refused. Sits in front of the {@link SslHandler} (nearer the socket), whose close
 * after the alert it holds back.
 */
final class LingerAfterFailedHandshake extends ChannelDuplexHandler {
  static final Duration LINGER = Duration.ofSeconds(2);

  private final SslHandler ssl;
  private boolean lingering;

  LingerAfterFailedHandshake(SslHandler ssl) {
    this.ssl = ssl;
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (lingering) {
      // The SslHandler closes again after its own exception: the lingering close stands.
      ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
      return;
    }
    Future<Channel> handshake = ssl.handshakeFuture();
    if (!handshake.isDone() || handshake.isSuccess()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    // The client closes once it has read the alert; whichever comes first closes the connection.
    var timer =
        ctx.executor().schedule(() -> ctx.close(promise), LINGER.toMillis(), TimeUnit.MILLISECONDS);
    ctx.channel()
        .closeFuture()
        .addListener(
            f -> {
              timer.cancel(false);
              promise.trySuccess();
            });
    ctx.channel().config().setAutoRead(true);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
