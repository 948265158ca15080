package dominion.mdb.tool;

import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mdbtool add HOST ...}: a new machine (creates the file if needed). */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = "Add a machine. Creates the MDB file if it does not exist.")
final class AddCommand implements Callable<Integer> {
  @ParentCommand MdbtoolMain main;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "HOST", description = "The machine's hostname.")
  String host;

  @Option(names = "--ip", paramLabel = "ADDR", description = "Address to dial (default: HOST).")
  String ip;

  @Option(names = "--port", paramLabel = "N", description = "subd's port (default: 6969).")
  Integer port;

  @Option(names = "--required", paramLabel = "IMG", description = "The required image.")
  String required;

  @Option(names = "--planned", paramLabel = "IMG", description = "The planned image.")
  String planned;

  @Override
  public Integer call() throws Exception {
    Machine machine;
    try {
      machine =
          Machine.of(host)
              .withIpAddress(Arguments.address(ip))
              .withPort(port)
              .withRequiredImage(Arguments.imageName(required))
              .withPlannedImage(Arguments.imageName(planned));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    main.file().edit(mdb -> add(mdb, machine), true);
    spec.commandLine().getOut().println("added " + host);
    return 0;
  }

  private Mdb add(Mdb mdb, Machine machine) {
    if (mdb.get(machine.hostname()) != null) {
      throw new IllegalArgumentException(
          "add machine "
              + machine.hostname()
              + ": already in "
              + main.file().path()
              + "; use set-required/set-planned to change it");
    }
    return mdb.put(machine);
  }
}
