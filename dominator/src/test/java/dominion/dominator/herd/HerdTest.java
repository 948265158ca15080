package dominion.dominator.herd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import dominion.proto.rpc.RpcException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The herd following the MDB: subs start and stop as machines come and go. */
@Timeout(20)
class HerdTest {
  private final Map<String, FakeSub> fakes = new ConcurrentHashMap<>();

  private Herd herd() throws Exception {
    HerdConfig config = HerdConfig.defaults("images:1").withPollInterval(Duration.ofMillis(10));
    ImageCache images =
        new ImageCache(
            name -> {
              throw RpcException.notFound("none");
            },
            Duration.ZERO,
            Clock.systemUTC());
    return new Herd(
        config,
        images,
        new Controls(null, 1, 1, Clock.systemUTC()),
        (host, port) ->
            fakes.computeIfAbsent(
                host, h -> new FakeSub(FileTree.empty(DirectoryInode.of(0755, 0, 0, 0)))),
        Clock.systemUTC());
  }

  private static void await(String what, java.util.function.BooleanSupplier c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void pollsEveryMachineAndStopsPollingRemovedOnes() throws Exception {
    try (Herd herd = herd()) {
      herd.setMdb(
          Mdb.of(
              List.of(
                  Machine.of("a").withIpAddress("10.0.0.1"),
                  Machine.of("b").withIpAddress("10.0.0.2"))));
      await(
          "both polled",
          () ->
              fakes.size() == 2 && fakes.values().stream().allMatch(f -> f.polledWith.size() > 2));
      assertEquals(SubState.NO_REQUIRED_IMAGE, herd.view("a").state());
      herd.setMdb(Mdb.of(List.of(Machine.of("a").withIpAddress("10.0.0.1"))));
      assertEquals(1, herd.size());
      Thread.sleep(100);
      int polls = fakes.get("10.0.0.2").polledWith.size();
      Thread.sleep(200);
      assertEquals(polls, fakes.get("10.0.0.2").polledWith.size(), "b is no longer polled");
      assertTrue(fakes.get("10.0.0.1").polledWith.size() > polls);
    }
  }

  @Test
  void countsSubsByState() throws Exception {
    try (Herd herd = herd()) {
      herd.setMdb(
          Mdb.of(List.of(Machine.of("a").withIpAddress("10.0.0.1").withRequiredImage("x/1"))));
      await("image not ready", () -> herd.counts().getOrDefault(SubState.IMAGE_NOT_READY, 0) == 1);
      assertTrue(herd.stats().polls() > 0);
    }
  }
}
