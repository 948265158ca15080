package dominion.imageserver.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.image.Image;
import dominion.core.image.ImageCodec;
import dominion.core.json.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an imageserver keeps things under its data directory, and the only class that writes there
 * (objects aside, which {@link dominion.core.objectstore.DiskObjectStore} owns):
 *
 * <pre>
 * DIR/objects/        the object store (sharded by hash prefix)
 * DIR/images/NAME     an image, in ImageCodec's encoding ("DIMG1...")
 * DIR/images/NAME     or, after the image was deleted, a tombstone ("DTOMB1\n" then JSON)
 * DIR/images/DIR/     an image directory is a real directory
 * DIR/tmp/            writes in progress; emptied at startup
 * </pre>
 *
 * Every write goes to a file in {@code tmp/}, is fsynced, then is linked (new names) or renamed
 * (replacements) into {@code images/}, and the directory is fsynced: a kill at any moment leaves
 * either the old file or the new one, plus perhaps a stray temporary file that the next start
 * removes.
 */
public final class ImageLayout {
  private static final Logger log = LoggerFactory.getLogger(ImageLayout.class);
  private static final byte[] IMAGE_MAGIC = "DIMG1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOMBSTONE_MAGIC = "DTOMB1\n".getBytes(StandardCharsets.US_ASCII);

  /** What a name in {@code images/} holds. */
  public enum Kind {
    IMAGE,
    DIRECTORY,
    DELETED
  }

  /** What a tombstone file says after its magic line. */
  record Tombstone(long deletedOnMillis, String deletedBy) {}

  private final Path dir;
  private final ObjectMapper mapper = Json.mapper();

  public ImageLayout(Path dataDir) {
    this.dir = dataDir;
  }

  public Path dataDir() {
    return dir;
  }

  public Path objectsDir() {
    return dir.resolve("objects");
  }

  public Path imagesDir() {
    return dir.resolve("images");
  }

  public Path tmpDir() {
    return dir.resolve("tmp");
  }

  /** The file or directory of an image or directory name (already checked by ImageName). */
  public Path pathOf(String name) {
    return imagesDir().resolve(name);
  }

  /**
   * Creates the directories if needed and removes writes a crash cut short.
   *
   * @return how many stray temporary files were removed
   */
  public int prepare() throws IOException {
    Files.createDirectories(imagesDir());
    Files.createDirectories(tmpDir());
    int removed = 0;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmpDir())) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
        removed++;
      }
    }
    if (removed > 0) {
      log.info("removed {} unfinished writes from {}", removed, tmpDir());
    }
    return removed;
  }

  /** Every name under {@code images/} and what it holds, in string order. */
  public Map<String, Kind> scan() throws IOException {
    Map<String, Kind> names = new TreeMap<>();
    scan(imagesDir(), "", names);
    return names;
  }

  private void scan(Path directory, String prefix, Map<String, Kind> names) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
      for (Path child : children) {
        String name = prefix + child.getFileName().toString();
        if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          names.put(name, Kind.DIRECTORY);
          scan(child, name + "/", names);
        } else {
          Kind kind = kindOfFile(child);
          if (kind == null) {
            // Not ours. Leave it, and keep the name taken so nothing overwrites it.
            log.warn("{} is neither an image nor a tombstone; its name stays unusable", child);
            kind = Kind.DELETED;
          }
          names.put(name, kind);
        }
      }
    }
  }

  private static Kind kindOfFile(Path file) throws IOException {
    byte[] head = new byte[TOMBSTONE_MAGIC.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= IMAGE_MAGIC.length
        && Arrays.equals(head, 0, IMAGE_MAGIC.length, IMAGE_MAGIC, 0, IMAGE_MAGIC.length)) {
      return Kind.IMAGE;
    }
    if (n == TOMBSTONE_MAGIC.length && Arrays.equals(head, TOMBSTONE_MAGIC)) {
      return Kind.DELETED;
    }
    return null;
  }

  /** Opens an image's encoded bytes for streaming; the caller closes it. */
  public InputStream openImage(String name) throws IOException {
    return Files.newInputStream(pathOf(name));
  }

  /** The size of an image's file. */
  public long imageSize(String name) throws IOException {
    return Files.size(pathOf(name));
  }

  /** Reads and decodes an image. */
  public Image readImage(String name) throws IOException {
    try (InputStream in = new BufferedInputStream(openImage(name), 1 << 16)) {
      return ImageCodec.read(in);
    }
  }

  /**
   * Stores a new image under a name that must be free.
   *
   * @throws FileAlreadyExistsException if something has the name
   */
  public void writeNewImage(String name, byte[] encoded) throws IOException {
    Path temp = writeTemp(encoded);
    Path target = pathOf(name);
    try {
      Files.createLink(target, temp);
      syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Replaces an image (or tombstone) file with {@code encoded}, atomically. */
  public void replaceImage(String name, byte[] encoded) throws IOException {
    Path temp = writeTemp(encoded);
    Path target = pathOf(name);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Replaces an image with a tombstone recording when and by whom it was deleted. */
  public void writeTombstone(String name, long deletedOnMillis, String deletedBy)
      throws IOException {
    byte[] body = mapper.writeValueAsBytes(new Tombstone(deletedOnMillis, deletedBy));
    byte[] bytes = new byte[TOMBSTONE_MAGIC.length + body.length];
    System.arraycopy(TOMBSTONE_MAGIC, 0, bytes, 0, TOMBSTONE_MAGIC.length);
    System.arraycopy(body, 0, bytes, TOMBSTONE_MAGIC.length, body.length);
    replaceImage(name, bytes);
  }

  /**
   * Makes an image directory whose parent exists.
   *
   * @throws FileAlreadyExistsException if something has the name
   */
  public void makeDirectory(String name) throws IOException {
    Path target = pathOf(name);
    Files.createDirectory(target);
    syncDirectory(target.getParent());
  }

  private Path writeTemp(byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(tmpDir(), "image-", ".tmp");
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
  }

  /** Makes a directory's entries durable (Linux allows fsync on a directory opened to read). */
  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
