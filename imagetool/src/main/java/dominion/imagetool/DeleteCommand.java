package dominion.imagetool;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete an image. Its name can never be used again.")
final class DeleteCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    try (Connection c = connect()) {
      c.images().deleteImage(image);
    }
    return 0;
  }
}
