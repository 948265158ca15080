package dominion.core.image;

import dominion.core.fs.FileTree;
import java.util.Objects;

/**
 * An immutable image: a file tree, the filter of paths it does not manage, the triggers that name
 * services to restart, and metadata.
 *
 * @param filter null for a sparse image (files it lacks are left alone on subs); any filter, even
 *     {@link Filter#EMPTY}, makes the image manage the whole root
 * @param triggers never null ({@link Triggers#NONE} when there are none)
 */
public record Image(FileTree tree, Filter filter, Triggers triggers, ImageMetadata metadata) {
  public Image {
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(triggers, "triggers");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** True when the image has no filter: subs keep files it lacks. */
  public boolean sparse() {
    return filter == null;
  }
}
