package dominion.dominator.domtool;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code domtool clear-safety-shutoff HOST}. */
@Command(
    name = "clear-safety-shutoff",
    mixinStandardHelpOptions = true,
    description =
        "Let one sub take the update the safety check holds (it would delete more than"
            + " half its files). Holds for its current required image only.")
final class ClearSafetyShutoffCommand implements Callable<Integer> {
  @ParentCommand DomtoolMain main;

  @Parameters(paramLabel = "HOST", description = "The machine's hostname.")
  String host;

  @Override
  public Integer call() throws Exception {
    String image = main.client().clearSafetyShutoff(host).image();
    main.spec
        .commandLine()
        .getOut()
        .println("cleared the safety shutoff of " + host + " for image " + image);
    return 0;
  }
}
