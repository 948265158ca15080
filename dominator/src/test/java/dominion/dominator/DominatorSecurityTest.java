package dominion.dominator;

import dominion.proto.dominator.DominatorClient;
import dominion.proto.dominator.UpdatesControl;
import dominion.proto.rpc.DaemonSecurityContract;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcClient;
import dominion.proto.rpc.RpcException;
import dominion.proto.tls.Role;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The dominator's security through its command line (see {@link DaemonSecurityContract}): its
 * control RPCs (the fleet-wide updates switch, clearing a safety shutoff) are refused to intruders.
 */
class DominatorSecurityTest extends DaemonSecurityContract {
  @Override
  protected String daemon() {
    return "dominator";
  }

  @Override
  protected Role ownRole() {
    return Role.DOMINATOR;
  }

  @Override
  protected Role rightfulRole() {
    return Role.ADMIN;
  }

  @Override
  protected Running start(Path dir, List<String> securityFlags, PrintWriter err) throws Exception {
    Path mdb = dir.resolve("mdb.json");
    Files.writeString(mdb, "[]\n", StandardCharsets.UTF_8);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--mdb-file",
                mdb.toString(),
                // No sub needs an image, so the imageserver is never called.
                "--image-server",
                "127.0.0.1:9",
                "--state-dir",
                dir.resolve("state").toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                "0"));
    args.addAll(securityFlags);
    DominatorMain main = new DominatorMain();
    CommandLine cli = new CommandLine(main);
    cli.setErr(err);
    cli.parseArgs(args.toArray(String[]::new));
    Dominator dominator = main.start();
    return dominator == null ? null : new Running(dominator, dir, dominator.port());
  }

  @Override
  protected List<Mutation> mutations() {
    return List.of(
        new Mutation(
            "Dominator.DisableUpdates",
            c -> new DominatorClient(c).disableUpdates("maintenance"),
            true),
        new Mutation(
            "Dominator.EnableUpdates", c -> new DominatorClient(c).enableUpdates("done"), true),
        // No sub is held, so the rightful call is answered "not found"; intruders never get that
        // far.
        new Mutation(
            "Dominator.ClearSafetyShutoff",
            c -> {
              try {
                new DominatorClient(c).clearSafetyShutoff("sub1");
              } catch (RpcException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                  throw e;
                }
              }
            },
            false));
  }

  @Override
  protected Object state(Running running, RpcClient admin) {
    UpdatesControl updates = new DominatorClient(admin).listSubs(null).updates();
    return List.of(updates.disabled(), String.valueOf(updates.reason()));
  }
}
