package dominion.imagetool;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.ImageName;
import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import dominion.imageserver.Imageserver;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.ServerSecurity;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** A real imageserver on 127.0.0.1, and a way to run imagetool against it in-process. */
final class ToolFixture implements AutoCloseable {
  static final long T = 1_700_000_000_123_456_789L;
  private static final HttpClient HTTP =
      RpcClients.newHttpClient(
          null, Duration.ofSeconds(5), Executors.newVirtualThreadPerTaskExecutor());

  final Imageserver server;
  final ImageServerClient images;
  final ObjectClient objects;

  ToolFixture(Path dataDir) throws Exception {
    server =
        new Imageserver(
                new Imageserver.Config(dataDir, "127.0.0.1", 0),
                ServerSecurity.insecure(),
                Clock.systemUTC())
            .start();
    RpcClient rpc = new RpcClient(HTTP, false, "127.0.0.1", server.port(), Duration.ofSeconds(20));
    images = new ImageServerClient(rpc);
    objects = new ObjectClient(rpc);
  }

  /** What one imagetool run printed and returned. */
  record Run(int code, String out, String err) {}

  /** Runs imagetool with {@code --insecure --image-server} pointing at this server. */
  Run tool(String... args) {
    List<String> all =
        new ArrayList<>(List.of("--insecure", "--image-server", "127.0.0.1:" + server.port()));
    all.addAll(List.of(args));
    return raw(all.toArray(String[]::new));
  }

  /** Runs imagetool with exactly {@code args}. */
  static Run raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ImagetoolMain.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** Stores {@code image} (and its contents) as {@code name} through the clients. */
  void put(String name, Image image, Map<Hash, byte[]> contents) throws Exception {
    objects.addObjects(
        sink -> {
          for (Map.Entry<Hash, byte[]> e : contents.entrySet()) {
            sink.add(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
          }
        });
    images.addImage(ImageName.of(name), image);
  }

  @Override
  public void close() {
    server.close();
  }

  /** Builds small trees with their contents. */
  static final class TreeMaker {
    final Map<Hash, byte[]> contents = new LinkedHashMap<>();
    final FileTree.Builder tree = new FileTree.Builder();
    private long inum = 1;

    TreeMaker() {
      tree.add("/", inum++, DirectoryInode.of(0755, 0, 0, T));
    }

    TreeMaker dir(String path) {
      tree.add(path, inum++, DirectoryInode.of(0755, 0, 0, T));
      return this;
    }

    TreeMaker file(String path, String text) {
      return file(path, text, 0644, T);
    }

    TreeMaker file(String path, String text, int perms, long mtime) {
      tree.add(path, inum++, regular(text, perms, mtime));
      return this;
    }

    RegularInode regular(String text, int perms, long mtime) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      Hash h = Hash.of(bytes);
      contents.put(h, bytes);
      return RegularInode.of(perms, 0, 0, mtime, bytes.length, h);
    }

    TreeMaker link(String path, String target) {
      tree.add(path, inum++, SymlinkInode.of(0, 0, T, target));
      return this;
    }

    Image image(Filter filter, Triggers triggers) {
      return new Image(
          tree.build(), filter, triggers, new ImageMetadata("test", 0, 0, null, Map.of()));
    }
  }

  /** The standard sample: a few files, a hard link, a symlink; filter and sshd trigger. */
  static TreeMaker sample() {
    TreeMaker m =
        new TreeMaker()
            .dir("/etc")
            .file("/etc/passwd", "root:x:0:0::/root:/bin/sh\n")
            .dir("/etc/ssh")
            .link("/bin", "usr/bin");
    RegularInode shared = m.regular("PermitRootLogin no\n", 0755, T);
    m.tree.add("/etc/ssh/sshd_config", 100, shared);
    m.tree.add("/etc/ssh/hard", 100, shared);
    return m;
  }

  static Filter sampleFilter() {
    return Filter.parse(List.of("/tmp/.*", "/var/log/.*"));
  }

  static Triggers sampleTriggers() {
    return Triggers.of(List.of(Trigger.of("sshd", List.of("/etc/ssh/.*"))));
  }
}
