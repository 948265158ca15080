package dominion.imagetool;

import dominion.core.image.ImageName;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List every image's name.")
final class ListCommand extends ToolCommand {
  @Override
  public Integer call() throws Exception {
    try (Connection c = connect()) {
      for (ImageName name : c.images().listImages()) {
        out().println(name);
      }
    }
    return 0;
  }
}
