package dominion.subd.update;

import java.io.IOException;

/** A path in an update that would lead outside the root (a {@code ..}, a symlinked parent). */
public final class UnsafePathException extends IOException {
  public UnsafePathException(String message) {
    super(message);
  }
}
