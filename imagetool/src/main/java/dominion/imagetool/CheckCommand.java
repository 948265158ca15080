package dominion.imagetool;

import dominion.core.image.ImageName;
import dominion.proto.imageserver.CheckImageResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "check", description = "Exit 0 if the image exists, 1 if not.")
final class CheckCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    ImageName image = imageName("NAME", name);
    CheckImageResponse r;
    try (Connection c = connect()) {
      r = c.images().checkImage(image);
    }
    if (r.exists()) {
      return 0;
    }
    err()
        .println(
            "imagetool check: no image "
                + image
                + (r.deleted() ? " (it was deleted; the name stays taken)" : ""));
    return 1;
  }
}
