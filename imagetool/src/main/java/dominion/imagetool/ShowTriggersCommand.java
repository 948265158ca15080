package dominion.imagetool;

import dominion.core.image.Image;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show-triggers", description = "Print an image's triggers as a triggers file.")
final class ShowTriggersCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    Image got;
    try (Connection c = connect()) {
      got = c.images().getImage(image);
    }
    out().print(new String(got.triggers().toJson(), StandardCharsets.UTF_8));
    return 0;
  }
}
