package dominion.imagetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.image.ImageName;
import dominion.imageserver.Imageserver;
import dominion.imagetool.ToolFixture.Run;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.tls.CertificateAuthority;
import dominion.proto.tls.ExistingFiles;
import dominion.proto.tls.IssueRequest;
import dominion.proto.tls.Role;
import dominion.proto.tls.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** imagetool against an imageserver that runs TLS with client certificates. */
@Timeout(60)
class TlsTest {
  @TempDir Path dir;

  private Path issue(CertificateAuthority ca, String name, Role role, List<String> hosts)
      throws Exception {
    Path out = dir.resolve(name);
    ca.issue(IssueRequest.lasting(name, role.methods(), hosts, Instant.now(), Duration.ofDays(1)))
        .writeTo(out, ExistingFiles.REFUSE);
    return out;
  }

  private Run as(Path who, int port, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--image-server",
                "127.0.0.1:" + port,
                "--ca",
                dir.resolve("ca/CA.pem").toString(),
                "--cert",
                who.resolve("cert.pem").toString(),
                "--key",
                who.resolve("key.pem").toString()));
    all.addAll(List.of(args));
    return ToolFixture.raw(all.toArray(String[]::new));
  }

  @Test
  void certificatesDecideWhoMayDoWhat() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create(
            "test CA", Instant.now().minusSeconds(600), Instant.now().plus(Duration.ofDays(2)));
    ca.writeTo(dir.resolve("ca"));
    Path server = issue(ca, "imageserver", Role.IMAGESERVER, List.of("127.0.0.1"));
    Path builder = issue(ca, "alice", Role.IMAGE_BUILDER, List.of());
    Path admin = issue(ca, "bob", Role.ADMIN, List.of());
    TlsConfig files =
        new TlsConfig(
            dir.resolve("ca/CA.pem"), server.resolve("cert.pem"), server.resolve("key.pem"));
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/motd"), "hello\n");

    try (Imageserver s =
        new Imageserver(
                new Imageserver.Config(dir.resolve("data"), "127.0.0.1", 0),
                new ServerSecurity.Tls(files.serverContext()),
                Clock.systemUTC())
            .start()) {
      int port = s.port();
      Run add = as(builder, port, "add", "img", root.toString(), "", "");
      assertEquals(0, add.code(), add.err());
      assertEquals("alice", s.database().metadata(ImageName.of("img")).createdBy());

      Run delete = as(builder, port, "delete", "img");
      assertEquals(1, delete.code());
      assertTrue(
          delete.err().contains("permission denied for ImageServer.DeleteImage"), delete.err());
      assertEquals(0, as(admin, port, "delete", "img").code());

      Run plain = ToolFixture.raw("--insecure", "--image-server", "127.0.0.1:" + port, "list");
      assertEquals(1, plain.code());
      assertTrue(plain.err().contains("plain HTTP on a TLS port"), plain.err());

      Run missing =
          ToolFixture.raw(
              "--image-server",
              "127.0.0.1:" + port,
              "--ca",
              dir.resolve("nope/CA.pem").toString(),
              "list");
      assertEquals(1, missing.code());
      assertTrue(
          missing.err().contains("nope/CA.pem") && missing.err().contains("--insecure"),
          missing.err());
    }
  }
}
