package dominion.core.image;

import java.util.Map;

/**
 * What is said about an image besides its content.
 *
 * @param createdBy who added it (certificate user or login name); may be empty
 * @param createdOnMillis when it was added, ms since the epoch
 * @param expiresAtMillis when it may be deleted automatically, or 0 for never
 * @param buildLog a free-form build log, or null
 * @param tags free-form labels, never null
 */
public record ImageMetadata(
    String createdBy,
    long createdOnMillis,
    long expiresAtMillis,
    String buildLog,
    Map<String, String> tags) {
  public ImageMetadata {
    createdBy = createdBy == null ? "" : createdBy;
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
