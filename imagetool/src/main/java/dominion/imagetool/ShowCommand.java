package dominion.imagetool;

import dominion.core.image.Image;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description =
        "List an image's paths like ls -l: mode, links, uid, gid, size, mtime (UTC),"
            + " path, then the SHA-512 of a regular file or -> target of a symlink.")
final class ShowCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    Image got;
    try (Connection c = connect()) {
      got = c.images().getImage(image);
    }
    Listing.print(got.tree(), out());
    return 0;
  }
}
