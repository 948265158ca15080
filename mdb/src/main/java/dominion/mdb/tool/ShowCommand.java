package dominion.mdb.tool;

import com.fasterxml.jackson.databind.SerializationFeature;
import dominion.core.json.Json;
import dominion.mdb.Machine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mdbtool show HOST}: the machine's record as JSON. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Print one machine's record as JSON.")
final class ShowCommand implements Callable<Integer> {
  @ParentCommand MdbtoolMain main;

  @Parameters(paramLabel = "HOST", description = "The machine's hostname.")
  String host;

  @Override
  public Integer call() throws Exception {
    Machine m = main.file().load().get(host);
    if (m == null) {
      throw new IllegalArgumentException(
          "show machine " + host + ": not in " + main.file().path() + "; see 'mdbtool list'");
    }
    main.spec
        .commandLine()
        .getOut()
        .println(
            Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    return 0;
  }
}
