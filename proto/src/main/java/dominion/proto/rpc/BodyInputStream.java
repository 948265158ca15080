package dominion.proto.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A request body handed from the event loop (which {@link #offer}s chunks) to a blocking handler
 * (which reads). Flow control: when more than {@link #HIGH_WATER} bytes wait unread, the channel
 * stops reading from the socket until the handler catches up, so a fast uploader cannot fill the
 * heap. All state is guarded by {@code this}.
 */
final class BodyInputStream extends InputStream {
  private static final int HIGH_WATER = 4 << 20;

  private final Channel channel;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private byte[] current;
  private int position;
  private long buffered;
  private boolean ended;
  private IOException failure;

  BodyInputStream(Channel channel) {
    this.channel = channel;
  }

  /** Event loop: queues a copy of {@code content}'s readable bytes (the caller releases it). */
  synchronized void offer(ByteBuf content) {
    if (ended || failure != null || !content.isReadable()) {
      return;
    }
    byte[] copy = new byte[content.readableBytes()];
    content.readBytes(copy);
    chunks.add(copy);
    buffered += copy.length;
    if (buffered > HIGH_WATER) {
      channel.config().setAutoRead(false);
    }
    notifyAll();
  }

  /** Event loop: the body is complete. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** Event loop: the connection failed before the body ended. */
  synchronized void fail(IOException cause) {
    if (!ended) {
      failure = cause;
    }
    notifyAll();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (current == null || position == current.length) {
      current = chunks.poll();
      position = 0;
      if (current != null) {
        buffered -= current.length;
        if (buffered <= HIGH_WATER / 2 && !channel.config().isAutoRead()) {
          channel.config().setAutoRead(true);
          channel.read();
        }
        continue;
      }
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading a request body");
      }
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, buf, off, n);
    position += n;
    return n;
  }

  @Override
  public synchronized int available() {
    return current == null ? 0 : current.length - position;
  }
}
