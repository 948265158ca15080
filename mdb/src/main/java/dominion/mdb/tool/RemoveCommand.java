package dominion.mdb.tool;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mdbtool remove HOST}. */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a machine.")
final class RemoveCommand implements Callable<Integer> {
  @ParentCommand MdbtoolMain main;

  @Parameters(paramLabel = "HOST", description = "The machine's hostname.")
  String host;

  @Override
  public Integer call() throws Exception {
    main.file()
        .edit(
            mdb -> {
              if (mdb.get(host) == null) {
                throw new IllegalArgumentException(
                    "remove machine "
                        + host
                        + ": not in "
                        + main.file().path()
                        + "; see 'mdbtool list'");
              }
              return mdb.remove(host);
            },
            false);
    main.spec.commandLine().getOut().println("removed " + host);
    return 0;
  }
}
