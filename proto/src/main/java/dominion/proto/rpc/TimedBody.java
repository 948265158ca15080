package dominion.proto.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A streamed response body read as an {@link InputStream} whose reads give up: a read that waits
 * longer than the idle limit for the next bytes (the server stalled), or past the call's deadline,
 * cancels the exchange (the connection is closed, not reused) and throws {@link
 * RpcTimeoutException}. Time the caller spends between reads is not counted against the idle limit:
 * a slow reader is not a stalled server.
 *
 * <p>The JDK client's own {@code ofInputStream} body blocks for as long as the server keeps the
 * connection open without sending; this is the same bounded queue of buffers with timed waits.
 * Demand is a few buffers ahead of the reader, so an unread body does not fill the heap. One thread
 * reads; the subscriber side is called by the client's executor.
 */
final class TimedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final int AHEAD = 4;
  private static final List<ByteBuffer> END = List.of();

  /** Says what timed out, for the exception's message. */
  @FunctionalInterface
  interface Describer {
    /**
     * @param deadlinePassed true if the call's deadline passed, false if the idle limit did
     */
    RpcTimeoutException timeout(boolean deadlinePassed);
  }

  private final long idleNanos;
  private final long deadlineNanos;
  private final Describer describer;
  // Buffers lists from the client, END after the last, or a failure's marker (failure set first).
  private final LinkedBlockingQueue<List<ByteBuffer>> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;
  private volatile Throwable failure;
  private final List<ByteBuffer> failed = List.of(ByteBuffer.allocate(0));
  // Reader's state.
  private Iterator<ByteBuffer> current = END.iterator();
  private ByteBuffer buffer;
  private boolean ended;
  private boolean closed;

  /**
   * @param idleNanos the longest wait for the next bytes
   * @param deadlineNanos the {@link System#nanoTime()} by which the whole body must be read, or
   *     {@link Long#MAX_VALUE} for none
   */
  TimedBody(long idleNanos, long deadlineNanos, Describer describer) {
    this.idleNanos = idleNanos;
    this.deadlineNanos = deadlineNanos;
    this.describer = describer;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(AHEAD);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    failure = t;
    queue.add(failed);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("response body closed");
    }
    if (len == 0) {
      return 0;
    }
    if (!nextBuffer()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return buffer == null ? 0 : buffer.remaining();
  }

  // Makes buffer hold unread bytes; false at the end of the body.
  private boolean nextBuffer() throws IOException {
    while (buffer == null || !buffer.hasRemaining()) {
      if (current.hasNext()) {
        buffer = current.next();
        continue;
      }
      if (ended) {
        return false;
      }
      List<ByteBuffer> next = take();
      if (next == END) {
        ended = true;
        return false;
      }
      if (next == failed) {
        ended = true;
        Throwable t = failure;
        throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
      }
      current = next.iterator();
      subscription.request(1);
    }
    return true;
  }

  private List<ByteBuffer> take() throws IOException {
    long now = System.nanoTime();
    long left = deadlineNanos - now;
    long wait = Math.min(idleNanos, left);
    List<ByteBuffer> next;
    try {
      next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new InterruptedIOException("interrupted while reading a response");
    }
    if (next == null) {
      cancel();
      throw describer.timeout(idleNanos >= left);
    }
    return next;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!ended) {
      // Unread bytes: the connection cannot be reused, so drop it.
      cancel();
    }
  }

  private void cancel() {
    ended = true;
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
