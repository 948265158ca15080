package dominion.subd.rehearsal;

import dominion.core.hash.Hash;
import dominion.proto.subd.CopyToCache;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.InodeSpec;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.MetadataChange;
import dominion.proto.subd.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The made-up images a rehearsal updates a scratch root through, round after round, and the objects
 * each round fetches. Shaped like a real update between two releases of a root file system (the
 * benchmark's v1 to v2), so that it runs the same code: in the first round every directory is new;
 * later rounds replace every file's content beside it, add and delete files, make a new directory,
 * copy a file of the tree into the cache, share an object between two files (a copy besides the
 * link), and change a directory's metadata. Each round has symlinks and hard links. Contents are
 * random, so no two rounds share an object.
 */
final class ScratchImage {
  /** Files a directory holds. */
  private static final int FILES_PER_DIRECTORY = 25;

  /** One round: the objects to fetch (in request order) and the update that uses them. */
  record Round(Map<Hash, Content> objects, UpdateRequest request) {
    long bytes() {
      return objects.values().stream().mapToLong(Content::size).sum();
    }
  }

  /**
   * An object's content, made again whenever it is wanted: a round's objects are not kept in memory
   * (they would grow the heap by their size, 14 MiB, for good).
   */
  record Content(long seed, int size) {
    byte[] bytes() {
      byte[] b = new byte[size];
      new SplittableRandom(seed).nextBytes(b);
      return b;
    }
  }

  private final int files;
  private final int uid;
  private final int gid;
  private final SplittableRandom random;
  // The previous round's regular files (path to hash), and every path it made but directories.
  private Map<String, Hash> previous = Map.of();
  private Set<String> previousPaths = Set.of();
  private int round;

  /**
   * @param files regular files in each round's image
   * @param uid owner of every inode (the scratch directory's: the rehearsal needs no privilege)
   */
  ScratchImage(int files, int uid, int gid, long seed) {
    if (files < 2 * FILES_PER_DIRECTORY) {
      throw new IllegalArgumentException(
          "a rehearsal needs at least " + 2 * FILES_PER_DIRECTORY + " files, not " + files);
    }
    this.files = files;
    this.uid = uid;
    this.gid = gid;
    this.random = new SplittableRandom(seed);
  }

  /** The next round, from the image of the last one (from an empty root the first time). */
  Round next() {
    int r = round++;
    // Each round drops the first tenth of the last round's files and adds as many new ones.
    int first = r * (files / 10);
    Map<Hash, Content> objects = new LinkedHashMap<>();
    Map<String, Hash> current = new LinkedHashMap<>();
    Set<String> paths = new LinkedHashSet<>();
    List<InodeToMake> inodes = new ArrayList<>();
    List<HardLink> links = new ArrayList<>();
    Hash shared = null;
    for (int i = first; i < first + files; i++) {
      String path = fileName(i);
      Hash hash;
      if (i % 40 == 1 && shared != null) {
        hash = shared; // Two files, one object: the first is a copy, the last use a link.
      } else {
        Content content = content(i % 300 == 150);
        hash = Hash.of(content.bytes());
        objects.put(hash, content);
      }
      shared = hash;
      current.put(path, hash);
      paths.add(path);
      int mode = i % 7 == 0 ? 0100755 : 0100644;
      long size = objects.get(hash).size();
      inodes.add(
          new InodeToMake(
              path, new InodeSpec(mode, uid, gid, mtime(i), size, hash.hex(), null, null, null)));
      if (i % 20 == 0) {
        paths.add(directory(i) + "/l" + i);
        inodes.add(
            new InodeToMake(
                directory(i) + "/l" + i,
                new InodeSpec(0120777, uid, gid, mtime(i), null, null, null, "f" + i, null)));
      }
      if (i % 50 == 3) {
        paths.add(directory(i) + "/h" + i);
        links.add(new HardLink(directory(i) + "/h" + i, path));
      }
    }
    UpdateRequest request =
        new UpdateRequest(
            "rehearsal-" + (r + 1),
            false,
            directories(r, first),
            inodes,
            copies(),
            links,
            deletes(first),
            r == 0 ? List.of() : List.of(metadataChange(r, first)),
            List.of());
    previous = current;
    previousPaths = paths;
    return new Round(objects, request);
  }

  // A directory that stays, its mode flipped each round.
  private MetadataChange metadataChange(int r, int first) {
    int kept = (first + files / 2) / FILES_PER_DIRECTORY;
    int mode = r % 2 == 0 ? 040755 : 040750;
    return new MetadataChange(
        "/d" + kept, new InodeSpec(mode, uid, gid, mtime(0), null, null, null, null, null));
  }

  // Every directory the round's files need and the root lacks: all of them in the first round,
  // then the one the added files open.
  private List<DirectoryToMake> directories(int r, int first) {
    List<DirectoryToMake> made = new ArrayList<>();
    int from = r == 0 ? 0 : (first + files - files / 10) / FILES_PER_DIRECTORY;
    int to = (first + files - 1) / FILES_PER_DIRECTORY;
    for (int d = from; d <= to; d++) {
      if (r == 0 || !previousHasDirectory(d)) {
        made.add(new DirectoryToMake("/d" + d, 040755, uid, gid));
      }
    }
    return made;
  }

  private boolean previousHasDirectory(int d) {
    String prefix = "/d" + d + "/";
    return previous.keySet().stream().anyMatch(p -> p.startsWith(prefix));
  }

  // What the last round made and this one does not: whole directories where none of their
  // names stay, else the names.
  private List<String> deletes(int first) {
    Set<String> deletes = new LinkedHashSet<>();
    int firstKept = first / FILES_PER_DIRECTORY;
    for (String path : previousPaths) {
      int i = Integer.parseInt(path.substring(path.lastIndexOf('/') + 2));
      if (i / FILES_PER_DIRECTORY < firstKept) {
        deletes.add(directory(i));
      } else if (i < first) {
        deletes.add(path);
      }
    }
    return List.copyOf(deletes);
  }

  // A few files of the last round, copied into the cache before the update (as when an image
  // moves a file the sub already has).
  private List<CopyToCache> copies() {
    List<CopyToCache> copies = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, Hash> e : previous.entrySet()) {
      if (n++ % 100 == 50) {
        copies.add(new CopyToCache(e.getKey(), e.getValue().hex()));
      }
    }
    return copies;
  }

  private static String fileName(int i) {
    return directory(i) + "/f" + i;
  }

  private static String directory(int i) {
    return "/d" + i / FILES_PER_DIRECTORY;
  }

  private static long mtime(int i) {
    return 1_700_000_000_000_000_000L + i * 1_000_000_000L;
  }

  // Sizes spread evenly in logarithm from 64 bytes to 16 KiB, as a root's many small files are
  // (the per-file code needs many files, not bytes); a large one (one file in 300) from 256 KiB to
  // 2 MiB, so that reading and writing an object also loop as they do for a root's binaries and
  // libraries.
  private Content content(boolean large) {
    double size =
        large
            ? (256 << 10) * Math.pow(8, random.nextDouble())
            : 64 * Math.pow(256, random.nextDouble());
    return new Content(random.nextLong(), (int) Math.round(size));
  }
}
