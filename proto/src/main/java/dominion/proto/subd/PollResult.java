package dominion.proto.subd;

import dominion.core.fs.FileTree;
import dominion.core.hash.Hash;
import java.util.Set;

/**
 * A decoded {@code Subd.Poll} response.
 *
 * @param response the JSON head; never null
 * @param tree the sub's scanned tree; null unless {@code response.hasTree()}
 * @param cachedObjects the objects in the sub's cache; null unless {@code response.hasTree()}
 */
public record PollResult(PollResponse response, FileTree tree, Set<Hash> cachedObjects) {}
