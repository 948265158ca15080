package dominion.proto.rpc;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A streamed (chunked) 200 response written by a blocking handler. The headers go out with the
 * first chunk; a write blocks while the channel is not writable, so a slow reader slows the handler
 * instead of filling the heap. Not thread-safe: one handler writes.
 */
final class ChunkedResponseStream extends OutputStream {
  private static final int CHUNK = 1 << 16;

  private final Channel channel;
  private final String contentType;
  private byte[] buffer = new byte[CHUNK];
  private int length;
  private boolean started;
  private boolean closed;

  ChunkedResponseStream(Channel channel, String contentType) {
    this.channel = channel;
    this.contentType = contentType;
  }

  /** True once any byte (or the headers) has been sent: errors can no longer be reported. */
  boolean started() {
    return started;
  }

  @Override
  public void write(int b) throws IOException {
    if (length == buffer.length) {
      flushBuffer();
    }
    buffer[length++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (length == buffer.length) {
        flushBuffer();
      }
      int n = Math.min(len, buffer.length - length);
      System.arraycopy(b, off, buffer, length, n);
      length += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    if (length > 0) {
      flushBuffer();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    flush();
    sendHeadersIfNeeded();
    closed = true;
    await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
  }

  private void flushBuffer() throws IOException {
    if (closed) {
      throw new IOException("response stream closed");
    }
    sendHeadersIfNeeded();
    ChannelFuture f =
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(buffer, 0, length)));
    buffer = new byte[CHUNK];
    length = 0;
    if (!channel.isWritable()) {
      await(f);
    }
  }

  private void sendHeadersIfNeeded() throws IOException {
    if (started) {
      return;
    }
    started = true;
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    channel.write(response);
  }

  private static void await(ChannelFuture f) throws IOException {
    try {
      f.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending a response");
    }
    if (!f.isSuccess()) {
      throw new IOException("sending response failed: " + f.cause(), f.cause());
    }
  }
}
