package dominion.mdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * An MDB file on disk. Writes are atomic: the new content goes to a temporary file beside the
 * target, is fsynced, and renamed over it, so readers see the old file or the new one, never a mix.
 * Edits ({@link #edit}) hold an exclusive lock on {@code FILE.lock} (beside the file) from read to
 * rename, so two editors cannot lose each other's change. Writers that do not edit (mdbd) take the
 * same lock.
 */
public final class MdbFile {
  private final Path file;
  private final MdbCodec codec;

  public MdbFile(Path file, MdbCodec codec) {
    this.file = file.toAbsolutePath();
    this.codec = codec;
  }

  public Path path() {
    return file;
  }

  /** The lock file guarding edits of {@link #path()}. */
  public Path lockPath() {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  /**
   * Reads and parses the file.
   *
   * @throws NoSuchFileException if it does not exist
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it does not parse (the message names the file)
   */
  public Mdb load() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return codec.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The file's bytes, or null if it does not exist. */
  public byte[] readBytes() throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Reads the file (an empty MDB if it is missing and {@code createIfMissing}), applies {@code
   * change}, and writes the result if it differs, all under the lock.
   *
   * @return the MDB now in the file
   * @throws IllegalArgumentException if the file does not parse, or from {@code change}
   */
  public Mdb edit(UnaryOperator<Mdb> change, boolean createIfMissing) throws IOException {
    try (FileChannel lock = openLock();
        FileLock held = lock.lock()) {
      Mdb before;
      if (createIfMissing && !Files.exists(file)) {
        before = Mdb.EMPTY;
      } else {
        before = load();
      }
      Mdb after = change.apply(before);
      if (!after.equals(before) || !Files.exists(file)) {
        writeAtomically(codec.encode(after));
      }
      return after;
    }
  }

  /**
   * Writes {@code mdb} under the lock if its encoding differs from the file's bytes.
   *
   * @return true if the file was written
   */
  public boolean writeIfChanged(Mdb mdb) throws IOException {
    byte[] bytes = codec.encode(mdb);
    try (FileChannel lock = openLock();
        FileLock held = lock.lock()) {
      byte[] current = readBytes();
      if (current != null && java.util.Arrays.equals(current, bytes)) {
        return false;
      }
      writeAtomically(bytes);
      return true;
    }
  }

  private FileChannel openLock() throws IOException {
    Path parent = file.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new NoSuchFileException(parent.toString(), null, "directory of the MDB file");
    }
    return FileChannel.open(lockPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  // Caller holds the lock. The temporary name is fixed: the lock keeps it to one writer.
  private void writeAtomically(byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("write MDB " + file + ": the file system cannot rename atomically", e);
    }
    syncDirectory(file.getParent());
  }

  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open or sync a directory; the rename itself is done.
    }
  }
}
