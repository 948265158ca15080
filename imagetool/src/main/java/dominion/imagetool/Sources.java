package dominion.imagetool;

import dominion.core.image.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the source of {@code imagetool add}: a directory, or an archive. */
final class Sources {
  private Sources() {}

  static ContentSource open(Path source, Filter filter) throws IOException {
    if (Files.isDirectory(source)) {
      return new DirectorySource(source, filter);
    }
    throw new IOException("add: archives are not supported yet: " + source);
  }
}
