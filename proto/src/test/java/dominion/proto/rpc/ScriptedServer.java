package dominion.proto.rpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A fake HTTP server on a loopback ephemeral port for client tests: reads each request (head and
 * Content-Length body), records it, answers with its script, then waits for the client to close the
 * connection (and counts that down) or for the test to end.
 */
final class ScriptedServer implements AutoCloseable {
  /** What the server does once a request is read. */
  @FunctionalInterface
  interface Script {
    void answer(OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  /** Each request as received: head and body, in ISO-8859-1. */
  final BlockingQueue<String> requests = new LinkedBlockingQueue<>();

  /** Counted down when a client closes its connection (or it breaks) after the script ran. */
  final CountDownLatch clientClosed = new CountDownLatch(1);

  ScriptedServer(Script script) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    workers.execute(
        () -> {
          while (!socket.isClosed()) {
            try {
              Socket s = socket.accept();
              accepted.add(s);
              workers.execute(() -> serve(s, script));
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  int port() {
    return socket.getLocalPort();
  }

  /** An answer of a fixed text. */
  static Script sends(String text) {
    return out -> {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    };
  }

  /** An answer of a fixed text, then the connection closed. */
  static Script sendsAndCloses(String text) {
    return out -> {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.close();
    };
  }

  private void serve(Socket s, Script script) {
    try (s) {
      InputStream in = s.getInputStream();
      String request = readRequest(in);
      if (request == null) {
        return;
      }
      requests.add(request);
      script.answer(s.getOutputStream());
      s.getOutputStream().flush();
      while (in.read() >= 0) {
        // Wait for the client to close.
      }
      clientClosed.countDown();
    } catch (IOException e) {
      clientClosed.countDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      head.write(c);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
    workers.shutdownNow();
  }
}
