package dominion.imagetool;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "mkdir", description = "Make an image directory (its parent must exist).")
final class MkdirCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "DIR", description = "The directory, e.g. web/prod.")
  String dir;

  @Override
  public Integer call() throws Exception {
    String name = imageName("DIR", dir).value();
    try (Connection c = connect()) {
      c.images().makeDirectory(name);
    }
    return 0;
  }
}
