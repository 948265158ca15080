package dominion.dominator.herd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Triggers;
import dominion.core.json.Json;
import dominion.mdb.Machine;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcClients;
import dominion.proto.rpc.RpcServer;
import dominion.proto.rpc.ServerSecurity;
import dominion.proto.subd.PollFraming;
import dominion.proto.subd.PollRequest;
import dominion.proto.subd.PollResult;
import dominion.proto.subd.SubdMethods;
import dominion.proto.subd.UpdateRequest;
import dominion.proto.subd.UpdateResponse;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subd that stops answering polls in the middle of an update, over the real transport. A sub's
 * state is published at the end of each round, and the round published "updating" right after its
 * Update call: a poll that never returned left it there on the status page. Every poll now has a
 * deadline, so the sub shows as unreachable and carries on when the subd answers again.
 */
@Timeout(60)
class StalledSubTest {
  private static final ImageMetadata META = new ImageMetadata("t", 0, 0, null, null);

  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final FakeSub fake = new FakeSub(tree("a", "b"));
  // While set, polls are accepted and never answered, until the latch opens.
  private volatile CountDownLatch stall;
  private RpcServer server;
  private Sub sub;

  private static Hash hash(String s) {
    return Hash.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static FileTree tree(String... files) {
    FileTree.Builder b = new FileTree.Builder().add("/", 1, DirectoryInode.of(0755, 0, 0, 0));
    long inum = 2;
    for (String f : files) {
      b.add("/" + f, inum++, RegularInode.of(0644, 0, 0, 0, f.length(), hash(f)));
    }
    return b.build();
  }

  @BeforeEach
  void start() throws Exception {
    var mapper = Json.mapper();
    server =
        new RpcServer(
            new RpcServer.Config("127.0.0.1", 0, "fake-subd"), ServerSecurity.insecure(), workers);
    server.download(
        SubdMethods.POLL,
        PollRequest.class,
        SubdMethods.POLL_CONTENT_TYPE,
        (req, call, out) -> {
          CountDownLatch s = stall;
          if (s != null) {
            s.await(30, TimeUnit.SECONDS);
          }
          PollResult r;
          synchronized (fake) {
            r = fake.poll(req.haveGeneration(), req.shortOnly());
          }
          PollFraming.write(out, mapper, r.response(), r.tree(), r.cachedObjects());
        });
    server.unary(
        SubdMethods.UPDATE,
        UpdateRequest.class,
        (req, call) -> {
          synchronized (fake) {
            fake.update(req);
          }
          return new UpdateResponse();
        });
    server.start();

    Image image = new Image(tree("a", "c"), Filter.EMPTY, Triggers.NONE, META);
    fake.afterUpdate = image.tree();
    fake.cache.add(hash("c"));
    fake.holdUpdate = true;
    HerdConfig config = HerdConfig.defaults("images:6971").withImageRetry(Duration.ZERO);
    HttpClient http = RpcClients.newHttpClient(null, Duration.ofSeconds(5), workers);
    SubApi.Factory apis =
        RpcSubApi.factory(
            http,
            false,
            new RpcClient.Limits(
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(3)));
    sub =
        new Sub(
            Machine.of("web1")
                .withIpAddress("127.0.0.1")
                .withPort(server.port())
                .withRequiredImage("img/1"),
            HerdContext.of(
                config,
                new ImageCache(name -> image, Duration.ZERO, Clock.systemUTC()),
                new Controls(null, 10, 1, Clock.systemUTC()),
                apis,
                Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    CountDownLatch s = stall;
    if (s != null) {
      s.countDown();
    }
    server.close();
    workers.close();
  }

  @Test
  void aPollThatIsNeverAnsweredEndsAndTheSubCarriesOn() throws Exception {
    sub.step();
    assertEquals(SubState.UPDATING, sub.view().state());
    assertEquals(1, fake.updates.size());

    CountDownLatch hung = new CountDownLatch(1);
    stall = hung;
    sub.step();
    assertEquals(SubState.UNREACHABLE, sub.view().state());
    String error = sub.view().info().lastError();
    assertTrue(error.contains("no answer within the idle limit of 3 s"), error);
    assertTrue(error.contains("Subd.Poll to 127.0.0.1:" + server.port()), error);

    stall = null;
    hung.countDown();
    synchronized (fake) {
      fake.applyUpdate();
    }
    sub.step();
    assertEquals(SubState.WAITING_FOR_FRESH_SCAN, sub.view().state());
    synchronized (fake) {
      fake.scan();
    }
    for (int i = 0; i < 3 && sub.view().state() != SubState.SYNCED; i++) {
      sub.step();
    }
    assertEquals(SubState.SYNCED, sub.view().state());
    assertEquals(1, fake.updates.size());
  }
}
