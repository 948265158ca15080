package dominion.core.fs;

import java.io.IOException;
import java.nio.file.Path;

/** A file changed while its content was being read, so the hash describes no real state. */
public final class ContentChangedException extends IOException {
  public ContentChangedException(Path file, String what) {
    super("hash " + file + ": the file changed while it was read (" + what + ")");
  }
}
