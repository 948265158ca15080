package dominion.imagetool;

import dominion.core.image.ImageName;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "find-latest-image",
    description =
        "Print the newest image directly in DIR (latest creation time, then greatest" + " name).")
final class FindLatestImageCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "DIR")
  String dir;

  @Override
  public Integer call() throws Exception {
    String directory = imageName("DIR", dir).value();
    Optional<ImageName> latest;
    try (Connection c = connect()) {
      latest = c.images().findLatestImage(directory);
    }
    if (latest.isEmpty()) {
      err().println("imagetool find-latest-image: directory " + directory + " holds no image");
      return 1;
    }
    out().println(latest.get());
    return 0;
  }
}
