package dominion.proto.subd;

import dominion.core.image.Trigger;
import java.util.List;

/**
 * Tells a sub how to make its root match an image; applied in the background (results in polls:
 * {@link SubdStatus#updateInProgress()}, {@link SubdStatus#lastUpdateError()}, {@link
 * SubdStatus#lastImage()}). Every list may be null, meaning empty. Paths are absolute tree paths
 * inside the sub's root. The sub applies the parts in this order: copy to cache, stop services,
 * make directories, make inodes, hard links, deletes, metadata changes, record the image name,
 * start services.
 *
 * @param imageName the image this update brings the sub to; recorded on success
 * @param sparse the image has no filter: the sub must refuse {@code pathsToDelete}
 * @param directoriesToMake directories to create (parents before children) or whose metadata to set
 * @param inodesToMake files, symlinks and devices to put in place
 * @param filesToCopyToCache files already on the sub to copy into the cache first
 * @param hardLinksToMake names to make hard links to other names (after inodes are made)
 * @param pathsToDelete paths to remove, with their subtrees
 * @param metadataChanges mode, owner, mtime and capability changes of existing paths
 * @param triggers the new image's triggers; null = none
 */
public record UpdateRequest(
    String imageName,
    boolean sparse,
    List<DirectoryToMake> directoriesToMake,
    List<InodeToMake> inodesToMake,
    List<CopyToCache> filesToCopyToCache,
    List<HardLink> hardLinksToMake,
    List<String> pathsToDelete,
    List<MetadataChange> metadataChanges,
    List<Trigger> triggers) {
  public UpdateRequest {
    directoriesToMake = directoriesToMake == null ? List.of() : List.copyOf(directoriesToMake);
    inodesToMake = inodesToMake == null ? List.of() : List.copyOf(inodesToMake);
    filesToCopyToCache = filesToCopyToCache == null ? List.of() : List.copyOf(filesToCopyToCache);
    hardLinksToMake = hardLinksToMake == null ? List.of() : List.copyOf(hardLinksToMake);
    pathsToDelete = pathsToDelete == null ? List.of() : List.copyOf(pathsToDelete);
    metadataChanges = metadataChanges == null ? List.of() : List.copyOf(metadataChanges);
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
  }
}
