package dominion.core.tar;

import java.io.IOException;

/**
 * An archive is malformed, truncated or unsafe. The message reads {@code bad archive <file>: <what,
 * naming the entry>}, e.g. {@code bad archive img.tar: entry "link/passwd" (#3) goes through the
 * symlink "/link"}.
 */
public final class BadArchiveException extends IOException {
  public BadArchiveException(String message) {
    super(message);
  }

  public BadArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
