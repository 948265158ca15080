package dominion.proto.imageserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamPipeTest {
  @Test
  void carriesBytesAcrossThreads() throws Exception {
    byte[] data = new byte[5_000_000];
    new Random(1).nextBytes(data);
    StreamPipe pipe = new StreamPipe();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (OutputStream out = pipe.sink()) {
                    for (int off = 0; off < data.length; off += 7777) {
                      out.write(data, off, Math.min(7777, data.length - off));
                    }
                  } catch (IOException e) {
                    throw new RuntimeException(e);
                  }
                });
    assertArrayEquals(data, pipe.source().readAllBytes());
    writer.join(Duration.ofSeconds(5));
  }

  @Test
  void writerFailureReachesReader() throws Exception {
    StreamPipe pipe = new StreamPipe();
    pipe.sink().write(new byte[10]);
    pipe.sink().flush();
    pipe.fail(new IOException("disk on fire"));
    InputStream in = pipe.source();
    assertEquals(10, in.readNBytes(10).length);
    IOException e = assertThrows(IOException.class, in::read);
    assertEquals("disk on fire", e.getMessage());
  }

  @Test
  void readerCloseStopsWriter() throws Exception {
    StreamPipe pipe = new StreamPipe();
    pipe.source().close();
    OutputStream out = pipe.sink();
    assertThrows(
        StreamPipe.ReaderClosedException.class,
        () -> {
          for (int i = 0; i < 1000; i++) {
            out.write(new byte[1 << 16]);
          }
        });
  }
}
