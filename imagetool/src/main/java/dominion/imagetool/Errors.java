package dominion.imagetool;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns a failure into the one line imagetool prints. */
final class Errors {
  private Errors() {}

  static String describe(Throwable e) {
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    return switch (t) {
      case NoSuchFileException n -> n.getFile() + ": no such file or directory";
      case AccessDeniedException a -> a.getFile() + ": permission denied";
      default -> t.getMessage() != null ? t.getMessage() : t.toString();
    };
  }
}
