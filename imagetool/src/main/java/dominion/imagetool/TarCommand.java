package dominion.imagetool;

import dominion.core.image.Image;
import dominion.core.tar.Compression;
import dominion.core.tar.TarExporter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "tar",
    description =
        "Write an image as a tar archive (numeric owners, pax headers) to FILE, or to"
            + " standard output when FILE is left out.")
final class TarCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "FILE", arity = "0..1")
  String file;

  @Option(names = "--compress", description = "Compress with gzip.")
  boolean compress;

  @Override
  public Integer call() throws Exception {
    var image = imageName("NAME", name);
    TarExporter.Config config = new TarExporter.Config(compress ? Compression.GZIP : null);
    try (Connection c = connect()) {
      Image got = c.images().getImage(image);
      try (StreamingObjectGetter objects = new StreamingObjectGetter(c.objects(), got.tree())) {
        TarExporter exporter = new TarExporter(config, objects);
        if (file == null) {
          OutputStream out = new BufferedOutputStream(main.binaryOut, 1 << 16);
          exporter.export(got.tree(), out);
          out.flush();
        } else {
          exporter.export(got.tree(), Path.of(file));
        }
      }
    }
    return 0;
  }
}
