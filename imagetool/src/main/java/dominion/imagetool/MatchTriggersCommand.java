package dominion.imagetool;

import dominion.core.fs.Entry;
import dominion.core.image.Image;
import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "match-triggers",
    description =
        "Show which triggers of TRIGGERSFILE match which paths of IMAGE: a line per"
            + " trigger (in the order services start) with its count, then its paths indented.")
final class MatchTriggersCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1", paramLabel = "TRIGGERSFILE")
  String triggersFile;

  @Override
  public Integer call() throws Exception {
    var name = imageName("IMAGE", image);
    Triggers triggers = loadTriggers(triggersFile);
    Image got;
    try (Connection c = connect()) {
      got = c.images().getImage(name);
    }
    StringBuilder text = new StringBuilder();
    for (Trigger trigger : sorted(triggers)) {
      var filter = trigger.matchFilter();
      List<String> paths = new ArrayList<>();
      for (Entry e : got.tree().entries()) {
        if (filter.match(e.path())) {
          paths.add(e.path());
        }
      }
      text.append(trigger.service())
          .append(": ")
          .append(paths.size())
          .append(paths.size() == 1 ? " path" : " paths")
          .append('\n');
      for (String path : paths) {
        text.append("  ").append(path).append('\n');
      }
    }
    out().print(text);
    return 0;
  }

  // Triggers in the order Triggers.matching gives them: by sort name, then service.
  private static List<Trigger> sorted(Triggers triggers) {
    List<Trigger> list = new ArrayList<>(triggers.list());
    list.sort(java.util.Comparator.comparing(Trigger::sortName).thenComparing(Trigger::service));
    return list;
  }
}
