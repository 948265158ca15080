package dominion.imagetool;

import dominion.core.fs.TreeMaterializer;
import dominion.core.image.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    description =
        "Unpack an image into DIR (new or empty): contents, modes, mtimes, symlinks,"
            + " hard links and FIFOs; as root also owners, capabilities and devices.")
final class GetCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "DIR")
  String dir;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    boolean root = isRoot();
    TreeMaterializer.Config config =
        root ? TreeMaterializer.Config.EXACT : TreeMaterializer.Config.UNPRIVILEGED;
    TreeMaterializer.Result result;
    try (Connection c = connect()) {
      Image got = c.images().getImage(image);
      try (StreamingObjectGetter objects = new StreamingObjectGetter(c.objects(), got.tree())) {
        result = new TreeMaterializer(config, objects).materialize(got.tree(), Path.of(dir));
      }
    }
    out()
        .printf(
            Locale.ROOT,
            "wrote image %s into %s: %d entries, %s (%d bytes)%n",
            image,
            dir,
            result.entries(),
            Sizes.human(result.bytesWritten()),
            result.bytesWritten());
    if (!root) {
      err()
          .println(
              "imagetool get: not root, so owners and capabilities were not set"
                  + (result.devicesSkipped() > 0
                      ? " and " + result.devicesSkipped() + " devices were not made"
                      : ""));
    }
    return 0;
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
