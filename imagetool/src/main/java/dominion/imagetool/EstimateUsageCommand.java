package dominion.imagetool;

import dominion.core.fs.Entry;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Image;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "estimate-usage",
    description =
        "Print the bytes of the distinct objects an image uses: what a host needs to"
            + " hold its files, counting each content once.")
final class EstimateUsageCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    Image got;
    try (Connection c = connect()) {
      got = c.images().getImage(image);
    }
    Map<Hash, Long> sizes = new HashMap<>();
    for (Entry e : got.tree().entries()) {
      if (e.inode() instanceof RegularInode r) {
        sizes.put(r.hash(), r.size());
      }
    }
    long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
    out()
        .printf(
            Locale.ROOT,
            "%d bytes (%s) in %d distinct objects%n",
            bytes,
            Sizes.human(bytes),
            sizes.size());
    return 0;
  }
}
