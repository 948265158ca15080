package dominion.imagetool;

import dominion.core.image.Image;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "show-filter",
    description = "Print an image's filter, one regex a line (nothing for a sparse image).")
final class ShowFilterCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    Image got;
    try (Connection c = connect()) {
      got = c.images().getImage(image);
    }
    if (got.sparse()) {
      err().println("imagetool show-filter: image " + image + " is sparse: it has no filter");
    } else {
      out().print(got.filter().toText());
    }
    return 0;
  }
}
