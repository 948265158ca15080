package dominion.subd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import dominion.core.objectstore.ObjectLayout;
import dominion.proto.imageserver.GetObjectsRequest;
import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.imageserver.ObjectFraming;
import dominion.proto.rpc.DaemonSecurityContract;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcServer;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.SubdClient;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.UpdateRequest;
import dominion.proto.tls.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * subd's security through its command line (see {@link DaemonSecurityContract}): every RPC that
 * could rewrite the host, fill its cache or read its files is refused to intruders; and subd
 * fetches from the imageserver with its own certificate.
 */
class SubdSecurityTest extends DaemonSecurityContract {
  private static final byte[] OBJECT = "an object to fetch\n".getBytes(StandardCharsets.UTF_8);
  private static final Hash OBJECT_HASH = Hash.of(OBJECT);

  /** Users that fetched from the fake imageserver, in order. */
  private final List<String> fetchedBy = new CopyOnWriteArrayList<>();

  private RpcServer imageserver;

  @Override
  protected String daemon() {
    return "subd";
  }

  @Override
  protected Role ownRole() {
    return Role.SUBD;
  }

  @Override
  protected Role rightfulRole() {
    return Role.DOMINATOR;
  }

  @Override
  protected Running start(Path dir, List<String> securityFlags, PrintWriter err) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("motd"), "welcome\n", StandardCharsets.UTF_8);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--root-dir",
                root.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--service-command",
                "true {action} {service}",
                "--reboot-command",
                "true",
                "--scan-speed-percent",
                "100",
                "--cpu-percent",
                "100",
                "--min-scan-interval-ms",
                "100",
                "--network-mbit-per-second",
                "1000",
                "--no-fsync"));
    args.addAll(securityFlags);
    SubdMain main = new SubdMain();
    CommandLine cli = new CommandLine(main);
    cli.setErr(err);
    cli.parseArgs(args.toArray(String[]::new));
    Subd subd = main.start();
    return subd == null ? null : new Running(subd, dir, subd.port());
  }

  /** A TLS imageserver stand-in serving {@link #OBJECT}, recording who fetched. */
  private synchronized String imageserver() throws Exception {
    if (imageserver == null) {
      imageserver =
          new RpcServer(
              new RpcServer.Config("127.0.0.1", 0, "imageserver"),
              fleet
                  .daemon(
                      "imageserver",
                      fleet.issue(Role.IMAGESERVER, "imageserver", List.of("127.0.0.1")))
                  .serverSecurity(),
              workers);
      imageserver.download(
          ImageServerMethods.GET_OBJECTS,
          GetObjectsRequest.class,
          ImageServerMethods.OBJECTS_CONTENT_TYPE,
          (GetObjectsRequest request, dominion.proto.rpc.CallContext call, OutputStream out) -> {
            fetchedBy.add(call.user());
            for (String hex : request.hashes()) {
              if (!hex.equals(OBJECT_HASH.hex())) {
                throw new IOException("no object " + hex);
              }
              ObjectFraming.writeLength(out, OBJECT.length);
              out.write(OBJECT);
            }
          });
      imageserver.start();
    }
    return "127.0.0.1:" + imageserver.port();
  }

  @AfterAll
  void stopImageserver() {
    if (imageserver != null) {
      imageserver.close();
    }
  }

  private static SubdClient subd(RpcClient rpc) {
    return new SubdClient(rpc);
  }

  @Override
  protected List<Mutation> mutations() {
    return List.of(
        new Mutation(
            "Subd.SetConfiguration",
            c -> subd(c).setConfiguration(new SubdConfig(37, 0, 0, null)),
            true),
        new Mutation(
            "Subd.Update",
            c -> {
              Path root = shared().dir().resolve("root");
              int uid = (Integer) Files.getAttribute(root, "unix:uid");
              int gid = (Integer) Files.getAttribute(root, "unix:gid");
              subd(c)
                  .update(
                      new UpdateRequest(
                          "test/1",
                          true,
                          List.of(new DirectoryToMake("/made-by-update", 0755, uid, gid)),
                          null,
                          null,
                          null,
                          null,
                          null,
                          null));
            },
            true),
        new Mutation(
            "Subd.Fetch",
            c -> subd(c).fetch(new FetchRequest(imageserver(), List.of(OBJECT_HASH.hex()), 100)),
            true),
        new Mutation(
            "Subd.Cleanup",
            c -> subd(c).cleanup(new CleanupRequest(List.of(OBJECT_HASH.hex()))),
            true),
        // Reads, not changes: but it would hand any file of the host (/etc/shadow) to its caller.
        new Mutation(
            "Subd.GetFiles",
            c -> subd(c).getFiles(List.of("/motd"), (path, size, in) -> in.readAllBytes()),
            false));
  }

  @Override
  protected Object state(Running running, RpcClient admin) throws IOException {
    Path root = running.dir().resolve("root");
    return List.of(
        subd(admin).getConfiguration().scanSpeedPercent(),
        Files.exists(root.resolve("made-by-update")),
        Files.exists(new ObjectLayout(root.resolve(".subd/objects")).pathOf(OBJECT_HASH)));
  }

  private boolean cached() {
    return Files.exists(
        new ObjectLayout(shared().dir().resolve("root/.subd/objects")).pathOf(OBJECT_HASH));
  }

  private void await(String what, boolean cached) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (cached() != cached) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void fetchesFromTheImageserverWithItsOwnCertificate() throws Exception {
    // The contract's calls leave the object out of the cache (Fetch, then Cleanup); so does this.
    subd(rightfulClient()).fetch(new FetchRequest(imageserver(), List.of(OBJECT_HASH.hex()), 100));
    await("the fetch", true);
    assertFalse(fetchedBy.isEmpty());
    assertEquals(Set.of("subd"), Set.copyOf(fetchedBy), "users that fetched: " + fetchedBy);
    subd(rightfulClient()).cleanup(new CleanupRequest(List.of(OBJECT_HASH.hex())));
    await("the cleanup", false);
  }
}
