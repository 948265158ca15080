package dominion.proto.rpc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A plain socket whose output never throws: after the first write failure, writes are dropped.
 * {@link BulkDownload} sends its request through it so that a failed write never ends the
 * connection for the reader: a TLS socket layered over a socket whose write fails (a server that
 * refused this client's certificate sends its alert and closes, and the next write meets a reset)
 * closes itself at once, and the alert that says why, and that the reader was about to read, is
 * lost. The reader always learns of a broken connection itself.
 */
final class QuietWriteSocket extends Socket {
  private volatile boolean failed;
  private OutputStream out;

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      OutputStream socketOut = super.getOutputStream();
      out =
          new OutputStream() {
            @Override
            public void write(int b) {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              if (!failed) {
                try {
                  socketOut.write(b, off, len);
                } catch (IOException e) {
                  failed = true;
                }
              }
            }

            @Override
            public void flush() {
              if (!failed) {
                try {
                  socketOut.flush();
                } catch (IOException e) {
                  failed = true;
                }
              }
            }
          };
    }
    return out;
  }
}
