package dominion.proto.rpc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Makes {@link RpcClient#bulkDownload} calls: each on a connection of its own, plain or TLS with
 * the shared {@link HttpClient}'s context and parameters, read on the caller's thread. The request
 * is the one the shared client sends (plus {@code Connection: close}); the response is read by
 * {@link ResponseHead}, {@link ChunkedBody} and {@link LengthBody}, its reads timed by {@link
 * TimedSocketInput}. Failures are worded by {@link CallFailures}, as for the shared client.
 */
final class BulkDownload {
  /** The most of an error answer read. */
  static final int MAX_ERROR_BODY = 1 << 20;

  private static final int BUFFER = 1 << 16;
  private static final Pattern METHOD = Pattern.compile("[A-Za-z0-9_.-]+");

  /**
   * Where calls go.
   *
   * @param host the host name or address to dial (an IPv6 literal without brackets)
   * @param target {@code host:port} as in a Host header (IPv6 literals in brackets)
   */
  record Endpoint(String host, int port, String target, boolean tls) {}

  private final Endpoint endpoint;
  private final HttpClient http;
  private final Duration idle;
  private final CallFailures failures;

  BulkDownload(Endpoint endpoint, HttpClient http, Duration idle, CallFailures failures) {
    this.endpoint = endpoint;
    this.http = http;
    this.idle = idle;
    this.failures = failures;
  }

  /**
   * Calls {@code method} with the JSON {@code request}; returns its 200 answer's body, which the
   * caller closes. The answer must start within the idle limit and {@code deadline}; the body must
   * be read by {@code deadline} and never stall for the idle limit.
   *
   * @throws RpcException if the call failed before its body
   */
  InputStream open(String method, byte[] request, Duration deadline) {
    if (!METHOD.matcher(method).matches()) {
      throw new IllegalArgumentException("bad method name \"" + method + "\"");
    }
    Deadline d = Deadline.after(deadline);
    Deadline start = d.earlier(Deadline.after(idle));
    boolean byDeadline = start == d;
    Socket socket = connect(method, start, byDeadline);
    try {
      socket = secure(socket, start);
      TimedSocketInput timed = new TimedSocketInput(socket);
      timed.limits(
          Long.MAX_VALUE,
          start.atNanos(),
          passed ->
              new RpcTimeoutException(failures.noAnswer(method, byDeadline, d, null).getMessage()));
      send(socket, method, request);
      InputStream in = new BufferedInputStream(timed, BUFFER);
      ResponseHead head = ResponseHead.read(in);
      timed.limits(
          idle.toNanos(), d.atNanos(), passed -> failures.bodyTimeout(method, passed, deadline));
      if (head.status() != 200) {
        throw failures.errorOf(method, head.status(), errorBody(head, in));
      }
      if (!head.chunked() && head.contentLength() < 0) {
        throw ResponseHead.bad("a 200 answer neither chunked nor of a Content-Length");
      }
      return new Body(socket, bodyOf(head, in));
    } catch (RpcTimeoutException e) {
      closeQuietly(socket);
      throw e.toRpcException();
    } catch (SocketTimeoutException e) {
      // Only the TLS handshake's own reads throw this here; the others are timed.
      closeQuietly(socket);
      throw failures.noAnswer(method, byDeadline, d, e);
    } catch (IOException e) {
      closeQuietly(socket);
      if (Thread.currentThread().isInterrupted()) {
        throw failures.interrupted(method, e);
      }
      throw failures.failure(method, e);
    } catch (RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private Socket connect(String method, Deadline start, boolean byDeadline) {
    long connectNanos = http.connectTimeout().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    long left = start.leftNanos();
    Socket socket = new QuietWriteSocket();
    try {
      InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
      if (address.isUnresolved()) {
        throw new ConnectException("unknown host " + endpoint.host());
      }
      socket.setTcpNoDelay(true);
      socket.connect(address, millis(Math.min(connectNanos, left)));
      return socket;
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw connectNanos <= left
          ? failures.connectTimedOut(method, e)
          : failures.noAnswer(method, byDeadline, start, e);
    } catch (IOException e) {
      closeQuietly(socket);
      if (Thread.currentThread().isInterrupted()) {
        throw failures.interrupted(method, e);
      }
      throw failures.failure(method, e);
    }
  }

  /**
   * Layers TLS over {@code socket} as the shared client would: its context and parameters, the
   * dialled host as the peer host (for the host check and SNI), and endpoint identification on.
   */
  private Socket secure(Socket socket, Deadline start) throws IOException {
    if (!endpoint.tls()) {
      return socket;
    }
    SSLSocket tls =
        (SSLSocket)
            http.sslContext()
                .getSocketFactory()
                .createSocket(socket, endpoint.host(), endpoint.port(), true);
    SSLParameters parameters = http.sslParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(parameters);
    tls.setSoTimeout(millis(start.leftNanos()));
    tls.startHandshake();
    return tls;
  }

  /**
   * Sends the request from a thread of its own, so that the caller, reading the answer meanwhile,
   * reads an answer or alert the server sends before it has read the whole request (a refusal)
   * instead of failing in the write. A server that stops reading blocks only that thread, until the
   * caller, out of time, closes the socket.
   */
  private void send(Socket socket, String method, byte[] request) {
    byte[] head =
        ("POST /rpc/"
                + method
                + " HTTP/1.1\r\nHost: "
                + endpoint.target()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + request.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + request.length);
    System.arraycopy(request, 0, all, head.length, request.length);
    Thread.ofVirtual()
        .name("send " + method + " to " + endpoint.target())
        .start(
            () -> {
              try {
                OutputStream out = socket.getOutputStream();
                out.write(all);
                out.flush();
              } catch (IOException e) {
                // The socket was closed: the reader failed or gave up, and says why.
              }
            });
  }

  // The answer's body as its head frames it; without framing, up to the end of the connection.
  private static InputStream bodyOf(ResponseHead head, InputStream in) {
    if (head.chunked()) {
      return new ChunkedBody(in);
    }
    return head.contentLength() >= 0 ? LengthBody.ofResponse(in, head.contentLength()) : in;
  }

  private static byte[] errorBody(ResponseHead head, InputStream in) {
    try {
      return bodyOf(head, in).readNBytes(MAX_ERROR_BODY);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** A wait in milliseconds for {@link Socket}: at least 1 (0 means forever), rounded up. */
  private static int millis(long nanos) {
    return (int) Math.clamp((nanos + 999_999) / 1_000_000, 1, Integer.MAX_VALUE);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }

  /** The body of a bulk download: closing it closes its connection. */
  private static final class Body extends InputStream {
    private final Socket socket;
    private final InputStream body;
    private boolean closed;

    Body(Socket socket, InputStream body) {
      this.socket = socket;
      this.body = body;
    }

    @Override
    public int read() throws IOException {
      checkOpen();
      return body.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      checkOpen();
      return body.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      checkOpen();
      return body.available();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        socket.close();
      }
    }

    private void checkOpen() throws IOException {
      if (closed) {
        throw new IOException("response body closed");
      }
    }
  }
}
