package dominion.subd.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.UpdateRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScratchImageTest {
  final ScratchImage image = new ScratchImage(100, 1000, 1000, 42);

  @Test
  void everyObjectHashesToItsName() {
    for (Map.Entry<Hash, ScratchImage.Content> e : image.next().objects().entrySet()) {
      assertEquals(e.getKey(), Hash.of(e.getValue().bytes()));
    }
  }

  @Test
  void oneFileIn300IsLarge() {
    ScratchImage.Round round = new ScratchImage(600, 0, 0, 7).next();

    long large = round.objects().values().stream().filter(c -> c.size() >= 256 << 10).count();
    long small = round.objects().values().stream().filter(c -> c.size() <= 16 << 10).count();
    assertEquals(2, large);
    assertEquals(round.objects().size() - 2, small);
  }

  @Test
  void theFirstRoundMakesEveryDirectoryAndChangesNothingElse() {
    UpdateRequest r = image.next().request();

    assertEquals(
        List.of("/d0", "/d1", "/d2", "/d3"),
        r.directoriesToMake().stream().map(DirectoryToMake::path).toList());
    assertTrue(r.pathsToDelete().isEmpty());
    assertTrue(r.metadataChanges().isEmpty());
    assertTrue(r.filesToCopyToCache().isEmpty());
    assertFalse(r.hardLinksToMake().isEmpty());
    assertTrue(r.inodesToMake().stream().anyMatch(i -> i.inode().target() != null), "symlinks");
  }

  @Test
  void twoFilesShareAnObject() {
    ScratchImage.Round round = image.next();
    Set<String> hashes = new HashSet<>();
    long files =
        round.request().inodesToMake().stream().filter(i -> i.inode().hash() != null).count();
    round.request().inodesToMake().forEach(i -> hashes.add(i.inode().hash()));
    hashes.remove(null);

    assertEquals(100, files);
    assertEquals(round.objects().size(), hashes.size());
    assertTrue(hashes.size() < files, "some object is used twice");
  }

  @Test
  void laterRoundsReplaceEveryFileAndDropAndAddATenth() {
    ScratchImage.Round first = image.next();
    ScratchImage.Round second = image.next();
    UpdateRequest r = second.request();

    for (Hash h : second.objects().keySet()) {
      assertFalse(first.objects().containsKey(h), "no object shared between rounds");
    }
    // Files 0-9 go (d0 keeps files 10-24), files 100-109 come (in d4, a new directory).
    assertTrue(r.pathsToDelete().contains("/d0/f0"), r.pathsToDelete().toString());
    assertFalse(r.pathsToDelete().contains("/d0"));
    assertEquals(
        List.of("/d4"), r.directoriesToMake().stream().map(DirectoryToMake::path).toList());
    List<String> paths = r.inodesToMake().stream().map(InodeToMake::path).toList();
    assertTrue(paths.contains("/d4/f109"));
    assertFalse(paths.contains("/d0/f9"));
    assertEquals(1, r.metadataChanges().size());
    assertFalse(r.filesToCopyToCache().isEmpty());
  }

  @Test
  void aDirectoryLeftWithoutFilesIsDeletedWhole() {
    image.next();
    image.next();
    image.next();
    UpdateRequest fourth = image.next().request();

    // Round 4 starts at file 30: d0 (files 0-24) is gone whole, d1 loses files 25-29.
    assertTrue(fourth.pathsToDelete().contains("/d0"), fourth.pathsToDelete().toString());
    assertTrue(fourth.pathsToDelete().stream().noneMatch(p -> p.startsWith("/d0/")));
    assertTrue(fourth.pathsToDelete().contains("/d1/f29"));
  }
}
