package dominion.mdb.mdbd;

import dominion.proto.rpc.DaemonSecurityContract;
import dominion.proto.rpc.RpcClient;
import dominion.proto.tls.Role;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * mdbd's security through its command line (see {@link DaemonSecurityContract}). mdbd has no RPC,
 * so nothing can be changed through its port; it still serves its pages over TLS, with its own
 * certificate, unless run with --permit-insecure-mode.
 */
class MdbdSecurityTest extends DaemonSecurityContract {
  @Override
  protected String daemon() {
    return "mdbd";
  }

  @Override
  protected Role ownRole() {
    return Role.MDBD;
  }

  @Override
  protected Role rightfulRole() {
    return Role.ADMIN;
  }

  @Override
  protected Running start(Path dir, List<String> securityFlags, PrintWriter err) throws Exception {
    Path machines = dir.resolve("machines.txt");
    Files.writeString(machines, "web1\nweb2\n", StandardCharsets.UTF_8);
    Path sources = dir.resolve("sources");
    Files.writeString(sources, "text " + machines + "\n", StandardCharsets.UTF_8);
    int port;
    // --port 0 means "no pages" to mdbd, so the test picks a free port.
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--sources",
                sources.toString(),
                "--mdb-file",
                dir.resolve("mdb.json").toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port)));
    args.addAll(securityFlags);
    MdbdMain main = new MdbdMain();
    CommandLine cli = new CommandLine(main);
    cli.setErr(err);
    cli.parseArgs(args.toArray(String[]::new));
    MdbdMain.Running running = main.start();
    return running == null ? null : new Running(running, dir, running.port());
  }

  @Override
  protected List<Mutation> mutations() {
    return List.of();
  }

  @Override
  protected Object state(Running running, RpcClient admin) {
    return List.of();
  }
}
