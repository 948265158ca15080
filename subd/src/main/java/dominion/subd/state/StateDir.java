package dominion.subd.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.image.Trigger;
import dominion.core.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The layout of subd's state directory, and its small atomic files.
 *
 * <pre>
 * objects/         the object cache (a DiskObjectStore)
 * image            the name of the image last applied successfully, one line
 * triggers.json    that image's triggers (to stop services an image drops)
 * staging/         files an update prepares for directories it has yet to make
 * update.journal   present only while an update runs: what a restart must undo (see Journal)
 * </pre>
 *
 * Every file is replaced by writing a temporary file ({@code NAME.tmp}), fsyncing it and renaming
 * it, so a crash leaves the old or the new content (and a temporary file, removed on the next
 * start); a failed write (a full disk) leaves the old content and no temporary file.
 */
public final class StateDir {
  private static final TypeReference<List<Trigger>> TRIGGERS = new TypeReference<>() {};

  private final Path dir;
  private final ObjectMapper mapper = Json.mapper();

  public StateDir(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    Files.createDirectories(objects());
    // What a crash left of a replacement (see replace): the file itself is old or new, whole.
    try (var leftovers = Files.newDirectoryStream(dir, "*.tmp")) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
      }
    }
  }

  public Path dir() {
    return dir;
  }

  public Path objects() {
    return dir.resolve("objects");
  }

  /** Where an update prepares files for directories it has yet to make; emptied on start. */
  public Path staging() throws IOException {
    return Files.createDirectories(dir.resolve("staging"));
  }

  public Path journalFile() {
    return dir.resolve("update.journal");
  }

  /** The last image applied, or null if none was. */
  public String lastImage() throws IOException {
    try {
      String text = Files.readString(dir.resolve("image"), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? null : text;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** The last image's triggers; empty if none was applied or the file is unreadable. */
  public List<Trigger> lastTriggers() throws IOException {
    try {
      return mapper.readValue(Files.readAllBytes(dir.resolve("triggers.json")), TRIGGERS);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /**
   * Records a successful update to {@code image} with its triggers, by atomic renames but without
   * waiting for the disk: the caller flushes the file system afterwards. (A power cut before that
   * can lose the record, or keep it while losing part of the update; either way the dominator
   * compares trees, not names, and sends the update again.)
   */
  public void recordImage(String image, List<Trigger> triggers) throws IOException {
    replace(dir.resolve("triggers.json"), mapper.writeValueAsBytes(triggers), false);
    replace(dir.resolve("image"), (image + "\n").getBytes(StandardCharsets.UTF_8), false);
  }

  /** Replaces {@code file} with {@code content}: temp file, fsync, rename, fsync of the dir. */
  public static void writeAtomically(Path file, byte[] content) throws IOException {
    replace(file, content, true);
  }

  private static void replace(Path file, byte[] content, boolean sync) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        if (sync) {
          ch.force(true);
        }
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // A full disk, most likely: leave no partial temporary file behind.
      Files.deleteIfExists(temp);
      String cause =
          e instanceof java.nio.file.FileSystemException f && f.getReason() != null
              ? f.getReason()
              : e.getMessage();
      throw new IOException("write " + file + ": " + cause, e);
    }
    if (sync) {
      try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        d.force(true);
      }
    }
  }
}
