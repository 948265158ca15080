package dominion.proto.imageserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Connects a producer that writes (a tar reader pushing file contents) to a consumer that reads
 * (the HTTP client pulling a request body), each on its own thread, through a few buffered chunks:
 * at most {@code CHUNKS * CHUNK} bytes wait in memory. A producer failure reaches the reader as an
 * {@link IOException}; a reader that closes early makes the producer's next write fail. The queue
 * is the only state the two threads share.
 */
final class StreamPipe {
  private static final int CHUNK = 1 << 16;
  private static final int CHUNKS = 32;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CHUNKS);
  private volatile IOException producerFailure;
  private volatile boolean readerClosed;
  private final Sink sink = new Sink();
  private final Source source = new Source();

  /** The producer's end: write, then {@link OutputStream#close()} or {@link #fail}. */
  OutputStream sink() {
    return sink;
  }

  /** The consumer's end. */
  InputStream source() {
    return source;
  }

  /** Ends the stream with an error that the reader sees instead of end of stream. */
  void fail(IOException cause) {
    producerFailure = cause;
    offerQuietly(END);
  }

  private void offerQuietly(byte[] chunk) {
    // The reader may be gone; then nobody needs the marker and the queue may be full.
    if (!readerClosed) {
      try {
        put(chunk);
      } catch (IOException e) {
        // The reader closed meanwhile.
      }
    }
  }

  private void put(byte[] chunk) throws IOException {
    try {
      while (!queue.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (readerClosed) {
          throw new ReaderClosedException();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing to the upload");
    }
  }

  /** The reader closed its end: the consumer failed or finished early. */
  static final class ReaderClosedException extends IOException {
    ReaderClosedException() {
      super("the upload stopped reading its body");
    }
  }

  private final class Sink extends OutputStream {
    private byte[] buffer = new byte[CHUNK];
    private int length;
    private boolean closed;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("pipe closed");
      }
      while (len > 0) {
        int n = Math.min(len, CHUNK - length);
        System.arraycopy(b, off, buffer, length, n);
        length += n;
        off += n;
        len -= n;
        if (length == CHUNK) {
          flush();
        }
      }
    }

    @Override
    public void flush() throws IOException {
      if (readerClosed) {
        throw new ReaderClosedException();
      }
      if (length > 0) {
        put(length == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, length));
        buffer = new byte[CHUNK];
        length = 0;
      }
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        flush();
        closed = true;
        put(END);
      }
    }
  }

  private final class Source extends InputStream {
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (position == current.length) {
        if (ended) {
          return -1;
        }
        try {
          current = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading the upload");
        }
        position = 0;
        if (current == END) {
          ended = true;
          IOException failure = producerFailure;
          if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
          }
        }
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public void close() {
      readerClosed = true;
      queue.clear();
    }
  }
}
