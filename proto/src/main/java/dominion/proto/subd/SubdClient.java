package dominion.proto.subd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.LengthBody;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcException;
import dominion.proto.rpc.RpcTimeoutException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Typed calls to one subd. Thread-safe. Every failure is an {@link RpcException}; a malformed
 * response is {@link ErrorCode#INTERNAL}, a connection lost mid-stream {@link
 * ErrorCode#UNAVAILABLE}.
 */
public final class SubdClient {
  private final RpcClient rpc;
  // Shared by every client (a dominator holds one per sub): see RpcClient.
  private static final ObjectMapper MAPPER = Json.mapper();
  private final ObjectMapper mapper = MAPPER;

  public SubdClient(RpcClient rpc) {
    this.rpc = rpc;
  }

  /** The {@code host:port} this client calls. */
  public String target() {
    return rpc.target();
  }

  /**
   * Polls the sub; see {@link PollFraming} for what comes back. The whole poll, tree included, is
   * limited by the client's {@link RpcClient.Limits#streamed()} deadline and its idle limit.
   */
  public PollResult poll(long haveGeneration, boolean shortOnly) {
    try (InputStream in =
        new BufferedInputStream(
            rpc.download(SubdMethods.POLL, new PollRequest(haveGeneration, shortOnly)), 1 << 16)) {
      PollResult result = PollFraming.read(in, mapper);
      // Read to the end, so the connection goes back to the pool instead of being cut.
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return result;
    } catch (RpcTimeoutException e) {
      throw e.toRpcException();
    } catch (IOException e) {
      throw new RpcException(
          ErrorCode.UNAVAILABLE,
          "read poll response from " + rpc.target() + ": " + e.getMessage(),
          e);
    }
  }

  /** Starts a background fetch; {@code FAILED_PRECONDITION} if one is already running. */
  public FetchResponse fetch(FetchRequest request) {
    return rpc.call(SubdMethods.FETCH, request, FetchResponse.class);
  }

  /** Starts a background update; {@code FAILED_PRECONDITION} if one is already running. */
  public UpdateResponse update(UpdateRequest request) {
    return rpc.call(SubdMethods.UPDATE, request, UpdateResponse.class);
  }

  public CleanupResponse cleanup(CleanupRequest request) {
    return rpc.call(SubdMethods.CLEANUP, request, CleanupResponse.class);
  }

  public SubdConfig getConfiguration() {
    return rpc.call(SubdMethods.GET_CONFIGURATION, new GetConfigurationRequest(), SubdConfig.class);
  }

  public SetConfigurationResponse setConfiguration(SubdConfig config) {
    return rpc.call(
        SubdMethods.SET_CONFIGURATION,
        new SetConfigurationRequest(config),
        SetConfigurationResponse.class);
  }

  /** Receives one file of a {@link #getFiles} call. */
  @FunctionalInterface
  public interface FileReceiver {
    /**
     * Called once per requested path, in order. {@code content} holds exactly {@code length} bytes;
     * whatever the receiver leaves unread is skipped.
     */
    void receive(String path, long length, InputStream content) throws IOException;
  }

  /**
   * Streams the contents of regular files on the sub, in request order, on a connection of its own
   * (see {@link RpcClient#bulkDownload}).
   */
  public void getFiles(List<String> paths, FileReceiver receiver) {
    try (InputStream raw = rpc.bulkDownload(SubdMethods.GET_FILES, new GetFilesRequest(paths));
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      for (String path : paths) {
        long length;
        try {
          length = ObjectFraming.readLength(in);
        } catch (EOFException e) {
          throw new IOException("stream ended before " + path, e);
        }
        LengthBody content = ObjectFraming.exactly(in, length);
        receiver.receive(path, length, content);
        content.skipRest();
      }
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new RpcException(
          ErrorCode.UNAVAILABLE, "read files from " + rpc.target() + ": " + e.getMessage(), e);
    }
  }
}
