package dominion.imagetool;

import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.objectstore.MissingObjectException;
import dominion.core.objectstore.ObjectGetter;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects of one tree, fetched from the imageserver in a single streamed GetObjects call in the
 * order a writer walking the tree asks for them (the first name of each regular inode, in tree
 * order, as {@code TreeMaterializer} and {@code TarExporter} do), instead of one call per file. A
 * request out of that order costs a call of its own. Not thread-safe; one walk at a time. Each
 * stream it returns is valid until the next {@link #get}.
 */
final class StreamingObjectGetter implements ObjectGetter, AutoCloseable {
  private final ObjectClient objects;
  private final List<Hash> order;
  private final Map<Hash, Long> sizes = new HashMap<>();
  private InputStream stream;
  private int next;
  private InputStream current;

  StreamingObjectGetter(ObjectClient objects, FileTree tree) {
    this.objects = objects;
    this.order = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Entry e : tree.entries()) {
      if (e.inode() instanceof RegularInode r && seen.add(e.inum())) {
        order.add(r.hash());
        sizes.put(r.hash(), r.size());
      }
    }
  }

  @Override
  public InputStream get(Hash hash) throws IOException {
    finishCurrent();
    int at = indexFrom(hash);
    if (at < 0) {
      return single(hash);
    }
    openStream();
    while (next < at) {
      long length = ObjectFraming.readLength(stream);
      ObjectFraming.exactly(stream, length).transferTo(OutputStream.nullOutputStream());
      next++;
    }
    long length = ObjectFraming.readLength(stream);
    next++;
    current = ObjectFraming.exactly(stream, length);
    return new FilterInputStream(current) {
      @Override
      public void close() {
        // The shared stream stays open; the rest of this object is skipped on the next get.
      }
    };
  }

  @Override
  public long size(Hash hash) throws IOException {
    Long size = sizes.get(hash);
    if (size == null) {
      throw new MissingObjectException(hash);
    }
    return size;
  }

  // The position of hash at or after next, or -1 if the stream is past it.
  private int indexFrom(Hash hash) {
    for (int i = next; i < order.size(); i++) {
      if (order.get(i).equals(hash)) {
        return i;
      }
    }
    return -1;
  }

  private void openStream() throws IOException {
    if (stream == null) {
      stream = new BufferedInputStream(openObjects(order), 1 << 16);
    }
  }

  private InputStream single(Hash hash) throws IOException {
    InputStream in = new BufferedInputStream(openObjects(List.of(hash)), 1 << 16);
    long length = ObjectFraming.readLength(in);
    InputStream view = ObjectFraming.exactly(in, length);
    return new FilterInputStream(view) {
      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  private InputStream openObjects(List<Hash> hashes) throws IOException {
    try {
      return objects.openObjects(hashes);
    } catch (RpcException e) {
      if (e.code() == ErrorCode.NOT_FOUND && hashes.size() == 1) {
        throw new MissingObjectException(hashes.getFirst());
      }
      throw new IOException("fetch objects from " + objects.target() + ": " + e.getMessage(), e);
    }
  }

  private void finishCurrent() throws IOException {
    if (current != null) {
      current.transferTo(OutputStream.nullOutputStream());
      current = null;
    }
  }

  @Override
  public void close() throws IOException {
    if (stream != null) {
      stream.close();
    }
  }
}
