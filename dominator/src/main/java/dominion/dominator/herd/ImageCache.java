package dominion.dominator.herd;

import dominion.core.fs.DirectoryInode;
import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.proto.rpc.ErrorCode;
import dominion.proto.rpc.RpcException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images subs need, loaded once from the imageserver and shared by every sub (images are
 * immutable, so a loaded image never goes stale). Loads are single-flight: a thousand subs asking
 * for a new image cause one GetImage. A failed load is remembered for {@code retry} so that the
 * imageserver is not asked by every sub in turn.
 */
public final class ImageCache {
  private static final Logger log = LoggerFactory.getLogger(ImageCache.class);

  /** Where images come from: the imageserver's GetImage, or a fake. */
  @FunctionalInterface
  public interface Source {
    /**
     * @throws RpcException NOT_FOUND if there is no such image
     */
    Image get(ImageName name);
  }

  /** The result of a lookup. */
  public sealed interface Lookup {
    /**
     * The image is loaded.
     *
     * @param files its non-directory entries, for the safety check
     */
    record Ready(Image image, int files) implements Lookup {}

    /** It is not (yet): {@code reason} says why. */
    record NotReady(String reason) implements Lookup {}
  }

  private final Source source;
  private final Duration retry;
  private final Clock clock;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  public ImageCache(Source source, Duration retry, Clock clock) {
    this.source = source;
    this.retry = retry;
    this.clock = clock;
  }

  /** The image named {@code name}, loading it if needed. May block while it loads. */
  public Lookup get(String name) {
    return slots.computeIfAbsent(name, n -> new Slot()).get(name);
  }

  /** Drops every image whose name is not in {@code names} (those no machine needs any more). */
  public void retainOnly(Set<String> names) {
    slots.keySet().retainAll(names);
  }

  /** Images loaded and held. */
  public int loadedCount() {
    return (int) slots.values().stream().filter(Slot::loaded).count();
  }

  // One name's state. The monitor makes loads single-flight; waiting on it is fine on virtual
  // threads, which no longer pin their carrier in synchronized blocks.
  private final class Slot {
    private Image image;
    private int files;
    private String failure;
    private long failedAtMillis;

    synchronized boolean loaded() {
      return image != null;
    }

    synchronized Lookup get(String name) {
      if (image != null) {
        return new Lookup.Ready(image, files);
      }
      if (failure != null && clock.millis() - failedAtMillis < retry.toMillis()) {
        return new Lookup.NotReady(failure);
      }
      try {
        image = source.get(ImageName.of(name));
        files =
            (int)
                image.tree().entries().stream()
                    .filter(e -> !(e.inode() instanceof DirectoryInode))
                    .count();
        failure = null;
        log.info("loaded image {}: {} entries", name, image.tree().size());
        return new Lookup.Ready(image, files);
      } catch (RpcException e) {
        failure =
            e.code() == ErrorCode.NOT_FOUND
                ? "image " + name + " is not on the imageserver (yet)"
                : "load image " + name + ": " + e.getMessage();
      } catch (IllegalArgumentException e) {
        failure = "bad image name in the MDB: " + e.getMessage();
      }
      failedAtMillis = clock.millis();
      return new Lookup.NotReady(failure);
    }
  }
}
