package dominion.dominator.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import dominion.core.json.Json;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.subd.CleanupRequest;
import dominion.proto.subd.FetchRequest;
import dominion.proto.subd.PollFraming;
import dominion.proto.subd.PollRequest;
import dominion.proto.subd.PollResponse;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdStatus;
import dominion.proto.subd.UpdateRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Many lightweight subds behind one port, speaking the real Subd protocol: one JDK HTTP server on
 * {@code 0.0.0.0:port} tells subs apart by the local address a connection came in on, so each sub
 * has its own loopback address (127.0.0.2, 127.0.0.3, ...) as real ones would. A fetch fills the
 * cache at once; an update makes the sub's tree the image's tree (the {@code images} function gives
 * it) and a scan "happens" at the next poll.
 */
public final class SimulatedFleet implements AutoCloseable {
  private final ObjectMapper mapper = Json.mapper();
  private final HttpServer server;
  private final Map<String, SimulatedSub> subs = new ConcurrentHashMap<>();
  private final Function<String, FileTree> images;

  /**
   * @param port the port (0 picks one: see {@link #port()})
   * @param images the tree of an image, by name, for applying updates
   */
  public SimulatedFleet(int port, Function<String, FileTree> images) throws IOException {
    this.images = images;
    this.server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 4096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/rpc/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Adds a sub answering on {@code address} with {@code tree} as its scanned root. */
  public SimulatedSub add(String address, FileTree tree) {
    SimulatedSub sub = new SimulatedSub(tree);
    subs.put(address, sub);
    return sub;
  }

  public SimulatedSub sub(String address) {
    return subs.get(address);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestURI().getPath().substring("/rpc/".length());
      SimulatedSub sub = subs.get(exchange.getLocalAddress().getAddress().getHostAddress());
      if (sub == null || sub.down) {
        exchange.close();
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      switch (method) {
        case "Subd.Poll" -> poll(exchange, sub, mapper.readValue(body, PollRequest.class));
        case "Subd.Fetch" -> {
          FetchRequest r = mapper.readValue(body, FetchRequest.class);
          sub.fetch(r);
          json(exchange, 200, Map.of());
        }
        case "Subd.Update" -> {
          UpdateRequest r = mapper.readValue(body, UpdateRequest.class);
          FileTree target = images.apply(r.imageName());
          if (target == null) {
            error(exchange, ErrorCode.INVALID_ARGUMENT, "unknown image " + r.imageName());
            return;
          }
          sub.update(r, target);
          json(exchange, 200, Map.of());
        }
        case "Subd.Cleanup" -> {
          sub.cleanup(mapper.readValue(body, CleanupRequest.class).hashes());
          json(exchange, 200, Map.of());
        }
        default -> error(exchange, ErrorCode.NOT_FOUND, "no method " + method);
      }
    }
  }

  private void poll(HttpExchange exchange, SimulatedSub sub, PollRequest request)
      throws IOException {
    SimulatedSub.Snapshot s = sub.snapshot();
    boolean hasTree = s.generation() != request.haveGeneration() && !request.shortOnly();
    PollResponse response = new PollResponse(s.generation(), hasTree, s.status());
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
      PollFraming.write(
          out, mapper, response, hasTree ? s.tree() : null, hasTree ? s.cache() : null);
    }
  }

  private void json(HttpExchange exchange, int status, Object value) throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(value);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private void error(HttpExchange exchange, ErrorCode code, String message) throws IOException {
    json(exchange, code.httpStatus(), Map.of("code", code.name(), "message", message));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** One simulated subd. Thread-safe. */
  public static final class SimulatedSub {
    private FileTree tree;
    private final Set<Hash> cache = new HashSet<>();
    private long generation = 1;
    private long clock = System.currentTimeMillis();
    private long lastScanEnd = clock;
    private long lastUpdateEnd;
    private String lastImage;
    private final long start = clock;
    private long updates;
    volatile boolean down;

    record Snapshot(long generation, FileTree tree, Set<Hash> cache, SubdStatus status) {}

    SimulatedSub(FileTree tree) {
      this.tree = tree;
    }

    /** While down, every connection is closed at once, as if the host were gone. */
    public void setDown(boolean down) {
      this.down = down;
    }

    /** Replaces the sub's tree as a scan would find it after drift. */
    public synchronized void drift(FileTree changed) {
      tree = changed;
      generation++;
    }

    public synchronized FileTree tree() {
      return tree;
    }

    public synchronized long updates() {
      return updates;
    }

    public synchronized String lastImage() {
      return lastImage;
    }

    synchronized Snapshot snapshot() {
      // A scan ends at every poll: later than any update, so the dominator never waits long.
      lastScanEnd = Math.max(++clock, System.currentTimeMillis());
      clock = lastScanEnd;
      SubdStatus status =
          new SubdStatus(
              generation,
              generation,
              lastScanEnd,
              0,
              lastImage,
              false,
              false,
              null,
              null,
              1,
              lastUpdateEnd,
              0,
              1L << 40,
              cache.size(),
              0,
              new SubdConfig(2, 1, 10, List.of()),
              List.of(),
              start);
      return new Snapshot(generation, tree, Set.copyOf(cache), status);
    }

    synchronized void fetch(FetchRequest r) {
      r.hashes().forEach(h -> cache.add(Hash.parse(h)));
    }

    synchronized void update(UpdateRequest r, FileTree target) {
      tree = target;
      generation++;
      updates++;
      lastImage = r.imageName();
      lastUpdateEnd = ++clock;
    }

    synchronized void cleanup(List<String> hashes) {
      hashes.forEach(h -> cache.remove(Hash.parse(h)));
    }
  }
}
