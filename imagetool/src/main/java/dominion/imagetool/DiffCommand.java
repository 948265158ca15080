package dominion.imagetool;

import dominion.core.image.Image;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "diff",
    description = {
      "Compare two images path by path, in tree order:",
      "  + PATH   only in RIGHT (added)",
      "  - PATH   only in LEFT (removed)",
      "  C PATH   content changed (type, hash, symlink target or device)",
      "  M PATH   metadata changed (mode, owner, group, file mtime, capability, links)",
      "then whether the filters and triggers differ, and a count of each kind."
    })
final class DiffCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "LEFT")
  String left;

  @Parameters(index = "1", paramLabel = "RIGHT")
  String right;

  @Override
  public Integer call() throws Exception {
    var leftName = imageName("LEFT", left);
    var rightName = imageName("RIGHT", right);
    Image a;
    Image b;
    try (Connection c = connect()) {
      a = c.images().getImage(leftName);
      b = c.images().getImage(rightName);
    }
    List<ImageDiff.Change> changes = ImageDiff.compare(a.tree(), b.tree());
    Map<ImageDiff.Kind, Integer> counts = new EnumMap<>(ImageDiff.Kind.class);
    StringBuilder text = new StringBuilder();
    for (ImageDiff.Change change : changes) {
      text.append(change.line()).append('\n');
      counts.merge(change.kind(), 1, Integer::sum);
    }
    if (!Objects.equals(a.filter(), b.filter())) {
      text.append("filter: ").append(describe(a)).append(" -> ").append(describe(b)).append('\n');
    }
    if (!a.triggers().equals(b.triggers())) {
      text.append("triggers: ")
          .append(a.triggers().list().size())
          .append(" -> ")
          .append(b.triggers().list().size())
          .append(" (differ)\n");
    }
    text.append(
        String.format(
            Locale.ROOT,
            "%d added, %d removed, %d content changed, %d metadata changed%n",
            counts.getOrDefault(ImageDiff.Kind.ADDED, 0),
            counts.getOrDefault(ImageDiff.Kind.REMOVED, 0),
            counts.getOrDefault(ImageDiff.Kind.CONTENT, 0),
            counts.getOrDefault(ImageDiff.Kind.METADATA, 0)));
    out().print(text);
    return 0;
  }

  private static String describe(Image image) {
    return image.sparse() ? "none (sparse)" : image.filter().lines().size() + " lines";
  }
}
