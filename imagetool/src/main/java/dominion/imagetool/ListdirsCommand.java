package dominion.imagetool;

import picocli.CommandLine.Command;

@Command(name = "listdirs", description = "List every image directory.")
final class ListdirsCommand extends ToolCommand {
  @Override
  public Integer call() throws Exception {
    try (Connection c = connect()) {
      for (String name : c.images().listDirectories()) {
        out().println(name);
      }
    }
    return 0;
  }
}
