package dominion.imageserver;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.imageserver.ObjectClient;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.ServerSecurity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** A real imageserver on 127.0.0.1 with clients, and small images to give it. */
final class ServerFixture implements AutoCloseable {
  static final HttpClient HTTP =
      RpcClients.newHttpClient(
          null, Duration.ofSeconds(5), Executors.newVirtualThreadPerTaskExecutor());

  final Path dataDir;
  final Imageserver server;
  final ImageServerClient images;
  final ObjectClient objects;

  ServerFixture(Path dataDir, Clock clock) throws Exception {
    this.dataDir = dataDir;
    this.server =
        new Imageserver(
                new Imageserver.Config(dataDir, "127.0.0.1", 0), ServerSecurity.insecure(), clock)
            .start();
    RpcClient rpc = new RpcClient(HTTP, false, "127.0.0.1", server.port(), Duration.ofSeconds(20));
    this.images = new ImageServerClient(rpc);
    this.objects = new ObjectClient(rpc);
  }

  ServerFixture(Path dataDir) throws Exception {
    this(dataDir, Clock.systemUTC());
  }

  int port() {
    return server.port();
  }

  /** Uploads {@code contents} (hash to bytes). */
  void upload(Map<Hash, byte[]> contents) throws IOException {
    objects.addObjects(
        sink -> {
          for (Map.Entry<Hash, byte[]> e : contents.entrySet()) {
            sink.add(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
          }
        });
  }

  @Override
  public void close() {
    server.close();
  }

  /** A small image and its file contents. */
  record Sample(Image image, Map<Hash, byte[]> contents) {}

  /** A tree of a few files (one hard link, one symlink); {@code salt} varies the contents. */
  static Sample sample(String salt) {
    Map<Hash, byte[]> contents = new LinkedHashMap<>();
    Hash passwd = put(contents, "root:x:0:0::/root:/bin/sh\n" + salt);
    Hash sshd = put(contents, "PermitRootLogin no\n" + salt);
    Hash empty = put(contents, "");
    long t = 1_700_000_000_123_456_789L;
    RegularInode shared = RegularInode.of(0755, 0, 0, t, contents.get(sshd).length, sshd);
    FileTree tree =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, t))
            .add("/etc", 2, DirectoryInode.of(0755, 0, 0, t))
            .add(
                "/etc/passwd",
                3,
                RegularInode.of(0644, 0, 0, t, contents.get(passwd).length, passwd))
            .add("/etc/ssh", 4, DirectoryInode.of(0755, 0, 0, t))
            .add("/etc/ssh/sshd_config", 5, shared)
            .add("/etc/ssh/link", 5, shared)
            .add("/etc/empty", 6, RegularInode.of(0600, 1000, 1000, t, 0, empty))
            .add("/bin", 7, SymlinkInode.of(0, 0, t, "usr/bin"))
            .build();
    Image image =
        new Image(
            tree,
            Filter.parse(List.of("/tmp/.*", "/var/log/.*")),
            Triggers.of(List.of(Trigger.of("sshd", List.of("/etc/ssh/.*")))),
            new ImageMetadata("builder", 0, 0, null, Map.of("team", "web")));
    return new Sample(image, contents);
  }

  private static Hash put(Map<Hash, byte[]> contents, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Hash h = Hash.of(bytes);
    contents.put(h, bytes);
    return h;
  }
}
