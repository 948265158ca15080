package dominion.proto.imageserver;

import dominion.core.hash.Hash;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Typed calls to an imageserver's {@code ObjectServer.*} methods. Thread-safe. Failures are {@link
 * RpcException}s, except that {@link #addObjects} rethrows its writer's own {@link IOException}.
 */
public final class ObjectClient {
  /** How many hashes one CheckObjects call carries (about 530 KB of JSON). */
  public static final int CHECK_BATCH = 4096;

  private final RpcClient rpc;

  public ObjectClient(RpcClient rpc) {
    this.rpc = rpc;
  }

  /** {@code host:port} of the server, for messages. */
  public String target() {
    return rpc.target();
  }

  /**
   * The hashes among {@code hashes} that the server lacks, in the given order without repeats,
   * asked {@link #CHECK_BATCH} at a time.
   */
  public List<Hash> missing(Collection<Hash> hashes) {
    List<Hash> distinct = new ArrayList<>(new LinkedHashSet<>(hashes));
    List<Hash> missing = new ArrayList<>();
    for (int start = 0; start < distinct.size(); start += CHECK_BATCH) {
      List<Hash> batch = distinct.subList(start, Math.min(distinct.size(), start + CHECK_BATCH));
      CheckObjectsResponse r =
          rpc.call(
              ImageServerMethods.CHECK_OBJECTS,
              CheckObjectsRequest.of(batch),
              CheckObjectsResponse.class);
      for (String hex : r.missing()) {
        missing.add(Hash.parse(hex));
      }
    }
    return missing;
  }

  /** Where an {@link ObjectWriter} puts objects. */
  public interface ObjectSink {
    /**
     * Sends one object: {@code length} bytes read from {@code data}, which must hold exactly that
     * many (the caller closes it).
     *
     * @throws IOException if {@code data} holds fewer or more bytes, or the upload failed
     */
    void add(Hash hash, long length, InputStream data) throws IOException;
  }

  /** Produces the objects of one upload; runs on its own thread while the upload streams. */
  @FunctionalInterface
  public interface ObjectWriter {
    void write(ObjectSink sink) throws IOException;
  }

  /**
   * Streams the objects {@code writer} produces to the server in one AddObjects call. The server
   * verifies every hash; see {@link AddObjectsResponse} for what a mismatch does.
   *
   * @throws IOException if the writer failed (its exception, whatever the server said)
   * @throws RpcException if the call failed
   */
  public AddObjectsResponse addObjects(ObjectWriter writer) throws IOException {
    StreamPipe pipe = new StreamPipe();
    CompletableFuture<Void> producer = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("add-objects-writer")
        .start(
            () -> {
              // Closed only on success: a close would end the body cleanly and hide the failure.
              OutputStream out = pipe.sink();
              try {
                writer.write((hash, length, data) -> copyObject(out, hash, length, data));
                out.close();
                producer.complete(null);
              } catch (IOException | RuntimeException e) {
                pipe.fail(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                producer.completeExceptionally(e);
              }
            });
    AddObjectsResponse response;
    try {
      response =
          rpc.upload(
              ImageServerMethods.ADD_OBJECTS, Map.of(), pipe::source, AddObjectsResponse.class);
    } catch (RpcException e) {
      pipe.source().close();
      rethrowWriterFailure(producer);
      throw e;
    }
    pipe.source().close();
    rethrowWriterFailure(producer);
    return response;
  }

  private static void copyObject(OutputStream out, Hash hash, long length, InputStream data)
      throws IOException {
    ObjectFraming.writeAddHeader(out, hash, length);
    long copied = ObjectFraming.exactly(data, length).transferTo(out);
    if (copied < length) {
      throw new IOException(
          "object " + hash.hex() + ": the source gave " + copied + " bytes, want " + length);
    }
    if (data.read() >= 0) {
      throw new IOException(
          "object "
              + hash.hex()
              + ": the source holds more than "
              + length
              + " bytes (did the file change after it was hashed?)");
    }
  }

  // Called after the pipe's reading end is closed, so the writer finishes soon. Its own failure
  // is the real cause when there is one; failing only because the reader went away is not.
  private static void rethrowWriterFailure(CompletableFuture<Void> producer) throws IOException {
    try {
      producer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(ErrorCode.UNAVAILABLE, "interrupted while adding objects", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof StreamPipe.ReaderClosedException) {
          return;
        }
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw (RuntimeException) cause;
    }
  }

  /** Receives the objects of a GetObjects call, one at a time, in request order. */
  @FunctionalInterface
  public interface ObjectReceiver {
    /**
     * Consumes one object. {@code data} holds exactly {@code length} bytes; bytes left unread are
     * skipped.
     */
    void accept(Hash hash, long length, InputStream data) throws IOException;
  }

  /**
   * Fetches {@code hashes} in one streamed call (on a connection of its own: see {@link
   * RpcClient#bulkDownload}), handing each object to {@code receiver} on the caller's thread.
   *
   * @throws RpcException {@code NOT_FOUND} (before any object arrives) if the server lacks one
   * @throws IOException if the stream breaks or the receiver fails
   */
  public void getObjects(List<Hash> hashes, ObjectReceiver receiver) throws IOException {
    if (hashes.isEmpty()) {
      return;
    }
    try (InputStream in =
        rpc.bulkDownload(ImageServerMethods.GET_OBJECTS, GetObjectsRequest.of(hashes))) {
      for (Hash hash : hashes) {
        long length = ObjectFraming.readLength(in);
        InputStream data = ObjectFraming.exactly(in, length);
        receiver.accept(hash, length, data);
        data.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException e) {
      throw new IOException("fetch objects from " + rpc.target() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the raw GetObjects stream (see {@link ObjectFraming}) on a connection of its own (see
   * {@link RpcClient#bulkDownload}); the caller reads it on one thread and closes it.
   */
  public InputStream openObjects(List<Hash> hashes) {
    return rpc.bulkDownload(ImageServerMethods.GET_OBJECTS, GetObjectsRequest.of(hashes));
  }
}
