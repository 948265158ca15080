package dominion.core.fs;

import java.nio.file.FileSystemException;

/**
 * A Linux system call failed. The message reads {@code <call> <path>: <strerror text>}, e.g. {@code
 * mknod /srv/root/dev/null: Operation not permitted}. A missing file is reported as a {@link
 * java.nio.file.NoSuchFileException} instead, so callers can treat both alike with Java's own file
 * APIs.
 */
public final class PosixException extends FileSystemException {
  private final String call;
  private final int errno;
  private final String reason;

  public PosixException(String call, String path, int errno, String reason) {
    super(path, null, reason);
    this.call = call;
    this.errno = errno;
    this.reason = reason;
  }

  /** The name of the failed call, e.g. {@code lsetxattr}. */
  public String call() {
    return call;
  }

  /** The C {@code errno} value. */
  public int errno() {
    return errno;
  }

  @Override
  public String getMessage() {
    return call + " " + getFile() + ": " + reason;
  }
}
