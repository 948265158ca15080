package dominion.subd.rpc;

import dominion.core.fs.Posix;
import dominion.proto.rpc.CallContext;
import dominion.proto.rpc.Handlers;
import dominion.proto.rpc.RpcException;
import dominion.proto.subd.GetFilesRequest;
import dominion.subd.update.RootFs;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Subd.GetFiles: streams regular files of the root, each as an 8-byte length and its bytes. Every
 * path is checked before the first byte; a file that shrinks while it is sent cuts the stream (the
 * client sees it truncated), one that grows is sent at its checked length.
 */
public final class GetFilesHandler implements Handlers.Download<GetFilesRequest> {
  private final RootFs root;

  public GetFilesHandler(RootFs root) {
    this.root = root;
  }

  @Override
  public void handle(GetFilesRequest request, CallContext call, OutputStream out) throws Exception {
    List<Path> paths = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (String p : request.paths()) {
      Path path;
      Posix.Stat st;
      try {
        path = root.resolve(p);
        st = Posix.lstat(path);
      } catch (IOException e) {
        throw RpcException.notFound("get file " + p + ": " + e.getMessage());
      }
      if (!st.isRegular()) {
        throw RpcException.notFound("get file " + p + ": not a regular file");
      }
      paths.add(path);
      sizes.add(st.size());
    }
    DataOutputStream data = new DataOutputStream(out);
    byte[] buf = new byte[1 << 16];
    for (int i = 0; i < paths.size(); i++) {
      long size = sizes.get(i);
      data.writeLong(size);
      try (InputStream in = Files.newInputStream(paths.get(i), LinkOption.NOFOLLOW_LINKS)) {
        long left = size;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new EOFException("get file " + paths.get(i) + ": it shrank while being sent");
          }
          data.write(buf, 0, n);
          left -= n;
        }
      }
    }
    data.flush();
  }
}
