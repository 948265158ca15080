package dominion.imagetool;

import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Triggers;
import dominion.proto.imageserver.AddImageResponse;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "addi",
    description =
        "Add an image made of OLDIMAGE's files with a new filter and triggers"
            + " (\"\" filter: sparse; \"\" triggers: none). No object is uploaded.")
final class AddiCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "OLDIMAGE")
  String oldImage;

  @Parameters(index = "2", paramLabel = "FILTERFILE")
  String filterFile;

  @Parameters(index = "3", paramLabel = "TRIGGERSFILE")
  String triggersFile;

  @Override
  public Integer call() throws Exception {
    var newName = imageName("NAME", name);
    var oldName = imageName("OLDIMAGE", oldImage);
    Filter filter = loadFilter(filterFile);
    Triggers triggers = loadTriggers(triggersFile);
    try (Connection c = connect()) {
      Image old = c.images().getImage(oldName);
      Image image =
          new Image(
              old.tree(),
              filter,
              triggers,
              new ImageMetadata(System.getProperty("user.name", ""), 0, 0, null, Map.of()));
      AddImageResponse r = c.images().addImage(newName, image);
      out()
          .printf(
              Locale.ROOT,
              "added image %s: %d paths from %s%s%n",
              r.name(),
              r.entries(),
              oldName,
              filter == null ? " (sparse)" : "");
    }
    return 0;
  }
}
