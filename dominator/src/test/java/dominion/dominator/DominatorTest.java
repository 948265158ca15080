package dominion.dominator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageCodec;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Triggers;
import dominion.dominator.domtool.DomtoolMain;
import dominion.dominator.herd.HerdConfig;
import dominion.dominator.sim.SimulatedFleet;
import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import dominion.proto.dominator.DominatorClient;
import dominion.proto.dominator.ListSubsResponse;
import dominion.proto.dominator.SubInfo;
import dominion.proto.imageserver.GetImageRequest;
import dominion.proto.imageserver.ImageServerMethods;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.RpcException;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dominator over real sockets: a stand-in imageserver, simulated subds on 127.0.0.2-4, the RPCs
 * through domtool, and the MDB through mdbtool's file.
 */
@Timeout(60)
class DominatorTest {
  private static final ImageMetadata META = new ImageMetadata("test", 0, 0, null, null);
  private static final String[] HOSTS = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};

  @TempDir Path dir;
  private final Map<String, Image> images = new ConcurrentHashMap<>();
  private RpcServer imageServer;
  private SimulatedFleet fleet;
  private Dominator dominator;
  private MdbFile mdb;

  private static FileTree tree(String... files) {
    FileTree.Builder b = new FileTree.Builder().add("/", 1, DirectoryInode.of(0755, 0, 0, 0));
    long inum = 2;
    for (String f : files) {
      byte[] content = f.getBytes(StandardCharsets.UTF_8);
      b.add("/" + f, inum++, RegularInode.of(0644, 0, 0, 0, content.length, Hash.of(content)));
    }
    return b.build();
  }

  @BeforeEach
  void start() throws Exception {
    images.put("web/1", new Image(tree("a", "b"), Filter.EMPTY, Triggers.NONE, META));
    images.put("web/2", new Image(tree("a", "c"), Filter.EMPTY, Triggers.NONE, META));
    imageServer =
        new RpcServer(
                new RpcServer.Config("127.0.0.1", 0, "images"),
                ServerSecurity.insecure(),
                Executors.newVirtualThreadPerTaskExecutor())
            .download(
                ImageServerMethods.GET_IMAGE,
                GetImageRequest.class,
                ImageServerMethods.IMAGE_CONTENT_TYPE,
                (req, call, out) -> {
                  Image i = images.get(req.name());
                  if (i == null) {
                    throw RpcException.notFound("no image " + req.name());
                  }
                  ImageCodec.write(i, out);
                })
            .start();
    fleet =
        new SimulatedFleet(
            0,
            name -> {
              Image i = images.get(name);
              return i == null ? null : i.tree();
            });
    fleet.add(HOSTS[0], tree());
    fleet.add(HOSTS[1], tree("x"));
    fleet.add(HOSTS[2], tree("a"));
    mdb = new MdbFile(dir.resolve("mdb.json"), new MdbCodec());
    List<Machine> machines = new ArrayList<>();
    for (int i = 0; i < HOSTS.length; i++) {
      machines.add(
          Machine.of("sub" + i)
              .withIpAddress(HOSTS[i])
              .withPort(fleet.port())
              .withRequiredImage("web/1"));
    }
    mdb.writeIfChanged(Mdb.of(machines));
    HerdConfig herd =
        HerdConfig.defaults("127.0.0.1:" + imageServer.port())
            .withPollInterval(Duration.ofMillis(100))
            .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
            .withImageRetry(Duration.ofMillis(100))
            .withSafetyMinFiles(4);
    dominator =
        new Dominator(
                new Dominator.Config(
                    mdb.path(),
                    "127.0.0.1",
                    imageServer.port(),
                    dir.resolve("state"),
                    "127.0.0.1",
                    0,
                    herd,
                    Duration.ofMillis(100)),
                ServerSecurity.insecure(),
                null,
                Clock.systemUTC())
            .start();
  }

  @AfterEach
  void stop() {
    dominator.close();
    fleet.close();
    imageServer.close();
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; subs: " + states());
      }
      Thread.sleep(20);
    }
  }

  private List<String> states() {
    return dominator.herd().views().stream()
        .map(v -> v.info().hostname() + "=" + v.info().state() + " " + v.info().lastError())
        .toList();
  }

  private boolean all(String state) {
    return dominator.herd().views().size() == HOSTS.length
        && dominator.herd().views().stream().allMatch(v -> v.info().state().equals(state));
  }

  private boolean fleetIs(String image) {
    for (String host : HOSTS) {
      if (!fleet.sub(host).tree().equals(images.get(image).tree())) {
        return false;
      }
    }
    return true;
  }

  private record Result(int code, String out, String err) {}

  private Result domtool(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all =
        new ArrayList<>(List.of("--insecure", "--dominator", "127.0.0.1:" + dominator.port()));
    all.addAll(List.of(args));
    int code =
        DomtoolMain.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private void setRequired(String host, String image) throws Exception {
    mdb.edit(
        m ->
            m.update(
                x -> host == null || x.hostname().equals(host), x -> x.withRequiredImage(image)),
        false);
  }

  private String page(String path) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dominator.port() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void theFleetConvergesToItsImage() throws Exception {
    await("all synced", () -> all("synced"));
    assertTrue(fleetIs("web/1"));
    assertEquals("web/1", fleet.sub(HOSTS[0]).lastImage());
  }

  @Test
  void driftIsRepaired() throws Exception {
    await("all synced", () -> all("synced"));
    long before = fleet.sub(HOSTS[1]).updates();
    fleet.sub(HOSTS[1]).drift(tree("a", "b", "junk"));
    await("repair", () -> fleet.sub(HOSTS[1]).updates() > before && fleetIs("web/1"));
  }

  @Test
  void aNewRequiredImageMovesTheFleet() throws Exception {
    await("all synced", () -> all("synced"));
    setRequired(null, "web/2");
    await("all on web/2", () -> fleetIs("web/2") && all("synced"));
  }

  @Test
  void disabledUpdatesHoldEveryChangeUntilEnabled() throws Exception {
    await("all synced", () -> all("synced"));
    Result r = domtool("disable-updates", "change", "freeze");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("updates disabled by"), r.out());
    setRequired(null, "web/2");
    await("all held", () -> all("updates-disabled"));
    assertTrue(fleetIs("web/1"));
    assertTrue(page("/").contains("UPDATES DISABLED"));
    assertEquals(0, domtool("enable-updates", "thaw").code());
    await("all on web/2", () -> fleetIs("web/2") && all("synced"));
  }

  @Test
  void aMachinesDisableUpdatesHoldsOnlyIt() throws Exception {
    await("all synced", () -> all("synced"));
    mdb.edit(
        m -> m.update(x -> x.hostname().equals("sub0"), x -> x.withDisableUpdates(true)), false);
    setRequired(null, "web/2");
    await(
        "others moved",
        () ->
            fleet.sub(HOSTS[1]).tree().equals(images.get("web/2").tree())
                && dominator.herd().view("sub0").info().state().equals("updates-disabled"));
    assertEquals(images.get("web/1").tree(), fleet.sub(HOSTS[0]).tree());
  }

  @Test
  void anMdbThatDoesNotParseChangesNothing() throws Exception {
    await("all synced", () -> all("synced"));
    Files.writeString(mdb.path(), "[{\"Hostname\": ", StandardCharsets.UTF_8);
    await(
        "error shown",
        () -> {
          try {
            return page("/").contains("MDB: ");
          } catch (Exception e) {
            return false;
          }
        });
    Thread.sleep(300);
    assertTrue(all("synced"));
    ListSubsResponse list =
        new DominatorClient(
                new RpcClient(
                    HttpClient.newHttpClient(),
                    false,
                    "127.0.0.1",
                    dominator.port(),
                    Duration.ofSeconds(10)))
            .listSubs(null);
    assertEquals(3, list.total());
    assertTrue(list.mdbError().contains("bad MDB JSON"), list.mdbError());
  }

  @Test
  void anUnreachableSubConvergesWhenItReturns() throws Exception {
    fleet.sub(HOSTS[0]).setDown(true);
    await(
        "unreachable",
        () ->
            dominator.herd().view("sub0") != null
                && dominator.herd().view("sub0").info().state().equals("unreachable"));
    fleet.sub(HOSTS[0]).setDown(false);
    await("all synced", () -> all("synced"));
    assertTrue(fleetIs("web/1"));
  }

  @Test
  void aMissingImageIsNotReadyUntilAdded() throws Exception {
    await("all synced", () -> all("synced"));
    setRequired("sub2", "web/3");
    await(
        "not ready", () -> dominator.herd().view("sub2").info().state().equals("image-not-ready"));
    images.put("web/3", new Image(tree("z"), Filter.EMPTY, Triggers.NONE, META));
    await("on web/3", () -> fleet.sub(HOSTS[2]).tree().equals(images.get("web/3").tree()));
  }

  @Test
  void anUnsafeUpdateIsHeldUntilCleared() throws Exception {
    await("all synced", () -> all("synced"));
    fleet.sub(HOSTS[2]).drift(tree("a", "b", "c", "d", "e", "f", "g"));
    await("held", () -> dominator.herd().view("sub2").info().state().equals("unsafe-update"));
    Result show = domtool("show-sub", "sub2");
    assertTrue(show.out().contains("unsafe update held"), show.out());
    Result r = domtool("clear-safety-shutoff", "sub2");
    assertEquals(0, r.code(), r.err());
    await("repaired", () -> fleetIs("web/1"));
    assertEquals(1, domtool("clear-safety-shutoff", "sub2").code());
  }

  @Test
  void domtoolListsAndShowsSubs() throws Exception {
    await("all synced", () -> all("synced"));
    Result list = domtool("list-subs");
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().startsWith("3 subs, synced 3"), list.out());
    Result json = domtool("list-subs", "--status", "synced", "--json");
    ListSubsResponse parsed =
        dominion.core.json.Json.mapper().readValue(json.out(), ListSubsResponse.class);
    assertEquals(3, parsed.subs().size());
    assertEquals(0, domtool("list-subs", "--status", "unreachable", "--json").code());
    Result bad = domtool("list-subs", "--status", "bogus");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("unknown sub state"), bad.err());
    Result show = domtool("show-sub", "sub1");
    assertTrue(show.out().contains("state:          synced"), show.out());
    assertEquals(1, domtool("show-sub", "nope").code());
    Result showJson = domtool("show-sub", "sub1", "--json");
    SubInfo info =
        dominion.core.json.Json.mapper()
            .readValue(showJson.out(), dominion.proto.dominator.ShowSubResponse.class)
            .sub();
    assertEquals("web/1", info.lastImage());
  }

  @Test
  void thePagesServeTheFleet() throws Exception {
    await("all synced", () -> all("synced"));
    assertTrue(page("/").contains("3 subs:"));
    assertTrue(page("/?status=synced").contains("sub2"));
    assertTrue(page("/json").contains("\"total\":3"));
    assertTrue(page("/?format=json").contains("\"counts\":{\"synced\":3}"));
    assertTrue(page("/metrics").contains("dominator_subs{state=\"synced\"} 3"));
    assertEquals("ok\n", page("/healthz"));
  }

  @Test
  void aReasonIsRequiredToFlipTheSwitch() {
    DominatorClient client =
        new DominatorClient(
            new RpcClient(
                RpcClients.newHttpClient(
                    null, Duration.ofSeconds(5), Executors.newVirtualThreadPerTaskExecutor()),
                false,
                "127.0.0.1",
                dominator.port(),
                Duration.ofSeconds(10)));
    RpcException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RpcException.class, () -> client.disableUpdates(" "));
    assertEquals(dominion.proto.rpc.ErrorCode.INVALID_ARGUMENT, e.code());
  }
}
