package dominion.imageserver.db;

import dominion.core.fs.Entry;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Image;
import dominion.core.image.ImageCodec;
import dominion.core.image.ImageMetadata;
import dominion.core.image.ImageName;
import dominion.core.objectstore.DiskObjectStore;
import dominion.imageserver.db.ImageLayout.Kind;
import dominion.proto.rpc.RpcException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imageserver's images and image directories: one namespace of names, each an image, a
 * directory or a deleted image (a tombstone, so the name is never reused). Names are all loaded at
 * startup; images stay on disk and are decoded only when a caller needs their content or metadata
 * (metadata is then cached: it is small and never changes but for the expiry).
 *
 * <p>Thread-safe. {@code lock} guards {@code names} and every change to {@code images/}, so a check
 * of a name and the write that claims it are one step; reads of image files happen outside it
 * (files are replaced by rename, so an open file stays whole).
 */
public final class ImageDatabase {
  private static final Logger log = LoggerFactory.getLogger(ImageDatabase.class);
  private static final int MAX_COMPONENT_BYTES = 255;
  private static final int MISSING_SHOWN = 5;

  private final ImageLayout layout;
  private final DiskObjectStore objects;
  private final Clock clock;
  private final Object lock = new Object();
  private final TreeMap<String, Kind> names = new TreeMap<>();
  private final Map<String, ImageMetadata> metadata = new ConcurrentHashMap<>();

  /** Loads the names under {@code layout}, which {@link ImageLayout#prepare()} has readied. */
  public ImageDatabase(ImageLayout layout, DiskObjectStore objects, Clock clock)
      throws IOException {
    this.layout = layout;
    this.objects = objects;
    this.clock = clock;
    names.putAll(layout.scan());
    log.info(
        "loaded {} images, {} directories and {} deleted names from {}",
        count(Kind.IMAGE),
        count(Kind.DIRECTORY),
        count(Kind.DELETED),
        layout.imagesDir());
  }

  /** What was stored by {@link #add}. */
  public record Added(ImageName name, long createdOnMillis, int entries) {}

  /**
   * Stores a new image. Its objects must be stored and of the sizes the tree gives; its directory
   * must exist; its name must never have been used.
   *
   * @param user the certificate's user, or null (then the image's own createdBy is kept)
   */
  public Added add(ImageName name, Image image, String user) throws IOException {
    checkComponents(name.value());
    checkObjects(name, image);
    ImageMetadata given = image.metadata();
    long now = clock.millis();
    ImageMetadata meta =
        new ImageMetadata(
            user != null ? user : given.createdBy(),
            now,
            given.expiresAtMillis(),
            given.buildLog(),
            given.tags());
    byte[] encoded =
        ImageCodec.encode(new Image(image.tree(), image.filter(), image.triggers(), meta));
    synchronized (lock) {
      checkFree("add image", name.value());
      checkParent("add image", name.value(), name.directory());
      try {
        layout.writeNewImage(name.value(), encoded);
      } catch (FileAlreadyExistsException e) {
        throw RpcException.alreadyExists("add image " + name + ": the name is taken on disk");
      }
      names.put(name.value(), Kind.IMAGE);
    }
    metadata.put(name.value(), meta);
    log.info(
        "added image {} ({} entries, {} bytes encoded) for {}",
        name,
        image.tree().size(),
        encoded.length,
        meta.createdBy().isEmpty() ? "anonymous" : meta.createdBy());
    return new Added(name, now, image.tree().size());
  }

  // FAILED_PRECONDITION naming the first missing objects; INVALID_ARGUMENT for a size that
  // disagrees with the stored object's.
  private void checkObjects(ImageName name, Image image) throws IOException {
    Map<Hash, Entry> wanted = new LinkedHashMap<>();
    for (Entry e : image.tree().entries()) {
      if (e.inode() instanceof RegularInode r) {
        wanted.putIfAbsent(r.hash(), e);
      }
    }
    List<String> missing = new ArrayList<>();
    int missingCount = 0;
    for (Map.Entry<Hash, Entry> w : wanted.entrySet()) {
      RegularInode inode = (RegularInode) w.getValue().inode();
      if (!objects.has(w.getKey())) {
        if (missingCount++ < MISSING_SHOWN) {
          missing.add(w.getKey().hex() + " (" + w.getValue().path() + ")");
        }
        continue;
      }
      long size = objects.size(w.getKey());
      if (size != inode.size()) {
        throw RpcException.invalid(
            "add image "
                + name
                + ": "
                + w.getValue().path()
                + " says "
                + inode.size()
                + " bytes but its object "
                + w.getKey().hex()
                + " holds "
                + size);
      }
    }
    if (missingCount > 0) {
      throw RpcException.failedPrecondition(
          "add image "
              + name
              + ": "
              + missingCount
              + " of "
              + wanted.size()
              + " objects are not stored, first "
              + String.join(", ", missing)
              + "; upload them (ObjectServer.AddObjects) before adding the image");
    }
  }

  /** Opens an image's encoded bytes; the caller closes the stream. */
  public InputStream open(ImageName name) throws IOException {
    synchronized (lock) {
      requireImage("get image", name.value());
      return layout.openImage(name.value());
    }
  }

  /** Decodes a stored image. */
  public Image read(ImageName name) throws IOException {
    try (InputStream in = open(name)) {
      return ImageCodec.read(new java.io.BufferedInputStream(in, 1 << 16));
    }
  }

  /** An image's metadata, decoding the image on first use. */
  public ImageMetadata metadata(ImageName name) throws IOException {
    ImageMetadata known = metadata.get(name.value());
    if (known != null) {
      return known;
    }
    ImageMetadata meta = read(name).metadata();
    metadata.putIfAbsent(name.value(), meta);
    return meta;
  }

  /** What a name holds, or empty if it was never used. */
  public Optional<Kind> kindOf(String name) {
    synchronized (lock) {
      return Optional.ofNullable(names.get(name));
    }
  }

  /** Images below {@code directory} (null or empty: all), in string order. */
  public List<String> listImages(String directory) {
    return list(Kind.IMAGE, directory);
  }

  /** Directories below {@code under} (null or empty: all), in string order. */
  public List<String> listDirectories(String under) {
    return list(Kind.DIRECTORY, under);
  }

  private List<String> list(Kind kind, String under) {
    String prefix = under == null || under.isEmpty() ? "" : ImageName.clean(under) + "/";
    List<String> out = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<String, Kind> e : names.tailMap(prefix, true).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        if (e.getValue() == kind) {
          out.add(e.getKey());
        }
      }
    }
    return out;
  }

  /** Replaces an image with a tombstone. */
  public void delete(ImageName name, String user) throws IOException {
    synchronized (lock) {
      requireImage("delete image", name.value());
      layout.writeTombstone(name.value(), clock.millis(), user == null ? "" : user);
      names.put(name.value(), Kind.DELETED);
    }
    metadata.remove(name.value());
    log.info("deleted image {} for {}", name, user == null ? "anonymous" : user);
  }

  /** Makes an image directory. */
  public String makeDirectory(String rawName) throws IOException {
    String name = ImageName.clean(rawName);
    checkComponents(name);
    synchronized (lock) {
      checkFree("make directory", name);
      checkParent("make directory", name, ImageName.of(name).directory());
      try {
        layout.makeDirectory(name);
      } catch (FileAlreadyExistsException e) {
        throw RpcException.alreadyExists("make directory " + name + ": the name is taken on disk");
      }
      names.put(name, Kind.DIRECTORY);
    }
    log.info("made directory {}", name);
    return name;
  }

  /**
   * The image directly in {@code directory} with the latest createdOn (ties: the greatest name).
   */
  public Optional<ImageName> findLatest(String directory) throws IOException {
    String dir = directory == null || directory.isEmpty() ? "" : ImageName.clean(directory);
    List<String> candidates = new ArrayList<>();
    synchronized (lock) {
      if (!dir.isEmpty() && names.get(dir) != Kind.DIRECTORY) {
        throw RpcException.notFound("find latest image in " + dir + ": no such directory");
      }
      for (String image : list(Kind.IMAGE, dir)) {
        if (ImageName.of(image).directory().equals(dir)) {
          candidates.add(image);
        }
      }
    }
    ImageName best = null;
    long bestTime = Long.MIN_VALUE;
    for (String candidate : candidates) {
      ImageName n = ImageName.of(candidate);
      long t;
      try {
        t = metadata(n).createdOnMillis();
      } catch (RpcException e) {
        continue; // Deleted meanwhile.
      }
      if (best == null || t > bestTime || (t == bestTime && n.compareTo(best) > 0)) {
        best = n;
        bestTime = t;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Rewrites an image's metadata with a new expiry; returns the expiry in force. */
  public long changeExpiration(ImageName name, long expiresAtMillis) throws IOException {
    if (expiresAtMillis < 0) {
      throw RpcException.invalid(
          "change expiration of " + name + ": negative time " + expiresAtMillis);
    }
    synchronized (lock) {
      requireImage("change expiration of", name.value());
      Image old = layout.readImage(name.value());
      ImageMetadata m = old.metadata();
      ImageMetadata meta =
          new ImageMetadata(
              m.createdBy(), m.createdOnMillis(), expiresAtMillis, m.buildLog(), m.tags());
      layout.replaceImage(
          name.value(),
          ImageCodec.encode(new Image(old.tree(), old.filter(), old.triggers(), meta)));
      metadata.put(name.value(), meta);
    }
    return expiresAtMillis;
  }

  /** How many names hold {@code kind}. */
  public int count(Kind kind) {
    synchronized (lock) {
      int n = 0;
      for (Kind k : names.values()) {
        if (k == kind) {
          n++;
        }
      }
      return n;
    }
  }

  // Callers hold lock.
  private void requireImage(String what, String name) {
    Kind kind = names.get(name);
    if (kind != Kind.IMAGE) {
      throw RpcException.notFound(
          what
              + " "
              + name
              + ": "
              + (kind == Kind.DELETED
                  ? "the image was deleted"
                  : kind == Kind.DIRECTORY ? "it is a directory, not an image" : "no such image"));
    }
  }

  // Callers hold lock.
  private void checkFree(String what, String name) {
    Kind kind = names.get(name);
    if (kind != null) {
      throw RpcException.alreadyExists(
          what
              + " "
              + name
              + ": the name is taken by "
              + switch (kind) {
                case IMAGE -> "an image";
                case DIRECTORY -> "a directory";
                case DELETED -> "a deleted image (names are never reused)";
              });
    }
  }

  // Callers hold lock.
  private void checkParent(String what, String name, String parent) {
    if (parent.isEmpty()) {
      return;
    }
    Kind kind = names.get(parent);
    if (kind != Kind.DIRECTORY) {
      throw RpcException.failedPrecondition(
          what
              + " "
              + name
              + ": directory "
              + parent
              + (kind == null
                  ? " does not exist; make it first (imagetool mkdir " + parent + ")"
                  : " is not a directory"));
    }
  }

  private static void checkComponents(String name) {
    for (String part : name.split("/")) {
      if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
        throw new IllegalArgumentException(
            "bad image name \""
                + name
                + "\": component \""
                + part
                + "\" is longer than "
                + MAX_COMPONENT_BYTES
                + " bytes");
      }
    }
  }
}
