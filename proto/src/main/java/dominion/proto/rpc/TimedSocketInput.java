package dominion.proto.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input whose reads give up: each read may block for at most the idle limit and at most
 * until the deadline ({@link Socket#setSoTimeout} per read), so only time spent waiting for the
 * server counts, never time the reader spends between reads. A read of an interrupted virtual
 * thread (which closes the socket) throws {@link InterruptedIOException}. Not thread-safe.
 */
final class TimedSocketInput extends InputStream {
  /** Says what timed out, for the exception's message. */
  @FunctionalInterface
  interface Describer {
    /**
     * @param deadlinePassed true if the deadline passed, false if the idle limit did
     */
    IOException timeout(boolean deadlinePassed);
  }

  private final Socket socket;
  private final InputStream in;
  private long idleNanos;
  private long deadlineNanos;
  private Describer describer;
  private int soTimeout = -1;

  TimedSocketInput(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /**
   * Sets the limits of the reads that follow.
   *
   * @param idleNanos the longest a read may block
   * @param deadlineNanos the {@link System#nanoTime()} after which no read may block, or {@link
   *     Long#MAX_VALUE} for none
   */
  void limits(long idleNanos, long deadlineNanos, Describer describer) {
    this.idleNanos = idleNanos;
    this.deadlineNanos = deadlineNanos;
    this.describer = describer;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    long left =
        deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw describer.timeout(true);
    }
    long wait = Math.min(idleNanos, left);
    // Rounded up, so that a wait never ends before its limit; 0 would mean no limit.
    int ms = (int) Math.clamp((wait + 999_999) / 1_000_000, 1, Integer.MAX_VALUE);
    if (ms != soTimeout) {
      socket.setSoTimeout(ms);
      soTimeout = ms;
    }
    try {
      return in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      IOException timeout = describer.timeout(idleNanos >= left);
      if (timeout.getCause() == null) {
        timeout.initCause(e);
      }
      throw timeout;
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        InterruptedIOException interrupted =
            new InterruptedIOException("interrupted while reading a response");
        interrupted.initCause(e);
        throw interrupted;
      }
      throw e;
    }
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }
}
