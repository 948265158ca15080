package dominion.dominator.bench;

import com.sun.net.httpserver.HttpServer;
import dominion.core.fs.FileTree;
import dominion.dominator.sim.SimulatedFleet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A process holding COUNT simulated subds for the herd benchmark: {@code SimFleetMain PORT COUNT
 * FILES CONTROL_PORT}. Sub i answers on {@link HerdBench#address(int)}; every sub starts with the
 * benchmark image's tree. {@code GET /drift?percent=P} on 127.0.0.1:CONTROL_PORT makes P% of the
 * subs drift (one extra file each, a new generation). Prints "ready" when serving.
 */
public final class SimFleetMain {
  private SimFleetMain() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    int files = Integer.parseInt(args[2]);
    int control = Integer.parseInt(args[3]);
    FileTree image = HerdBench.imageTree(files);
    SimulatedFleet fleet = new SimulatedFleet(port, name -> image);
    List<SimulatedFleet.SimulatedSub> subs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      subs.add(fleet.add(HerdBench.address(i), image));
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", control), 16);
    server.createContext(
        "/drift",
        exchange -> {
          String query = exchange.getRequestURI().getQuery();
          int percent = Integer.parseInt(query.substring(query.indexOf('=') + 1));
          int drifted = 0;
          for (SimulatedFleet.SimulatedSub s : subs) {
            if (ThreadLocalRandom.current().nextInt(100) < percent) {
              s.drift(HerdBench.driftedTree(files));
              drifted++;
            }
          }
          byte[] body = (drifted + "\n").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    System.out.println("ready");
    System.out.flush();
  }
}
