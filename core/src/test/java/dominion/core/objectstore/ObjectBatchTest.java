package dominion.core.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectBatchTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void objectsAppearOnlyAtCommit() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    try (ObjectBatch batch = store.newBatch()) {
      ObjectAdder.AddResult a =
          batch.add(new ByteArrayInputStream(bytes("a")), Hash.of(bytes("a")));
      ObjectAdder.AddResult b = batch.add(new ByteArrayInputStream(bytes("b")), null);
      ObjectAdder.AddResult again = batch.add(new ByteArrayInputStream(bytes("a")), null);
      assertTrue(a.added());
      assertTrue(b.added());
      assertFalse(again.added());
      assertEquals(2, batch.pendingCount());
      assertEquals(2, batch.pendingBytes());
      assertFalse(store.has(Hash.of(bytes("a"))));
      batch.commit();
      assertEquals(0, batch.pendingCount());
    }
    assertTrue(store.has(Hash.of(bytes("a"))));
    assertArrayEquals(bytes("b"), store.get(Hash.of(bytes("b"))).readAllBytes());
    assertEquals(2, store.count());
    assertEquals(2, store.totalBytes());
    assertEquals(0, tempFiles(store));
    assertEquals(2, new DiskObjectStore(dir).count());
  }

  @Test
  void aShardDirectoryRemovedSinceTheStoreOpenedIsMadeAgain() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash h = Hash.of(bytes("a"));
    Files.delete(store.pathOf(h).getParent());
    try (ObjectBatch batch = store.newBatch()) {
      batch.add(new ByteArrayInputStream(bytes("a")), h);
      assertEquals(List.of(h), batch.commit());
    }
    assertTrue(store.has(h));
  }

  @Test
  void mismatchStagesNothingAndKeepsEarlierObjects() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash claimed = Hash.of(bytes("claimed"));
    try (ObjectBatch batch = store.newBatch()) {
      batch.add(new ByteArrayInputStream(bytes("good")), Hash.of(bytes("good")));
      assertThrows(
          HashMismatchException.class,
          () -> batch.add(new ByteArrayInputStream(bytes("evil")), claimed));
      batch.commit();
    }
    assertTrue(store.has(Hash.of(bytes("good"))));
    assertFalse(store.has(claimed));
    assertFalse(store.has(Hash.of(bytes("evil"))));
    assertEquals(1, store.count());
  }

  @Test
  void closeWithoutCommitDiscards() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    try (ObjectBatch batch = store.newBatch()) {
      batch.add(new ByteArrayInputStream(bytes("x")), null);
    }
    assertFalse(store.has(Hash.of(bytes("x"))));
    assertEquals(0, tempFiles(store));
    assertEquals(0, store.count());
  }

  @Test
  void alreadyStoredObjectsAreNotNew() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    store.add(new ByteArrayInputStream(bytes("x")), null);
    try (ObjectBatch batch = store.newBatch()) {
      assertFalse(batch.add(new ByteArrayInputStream(bytes("x")), Hash.of(bytes("x"))).added());
      assertFalse(batch.add(new ByteArrayInputStream(bytes("x")), null).added());
      batch.commit();
    }
    assertEquals(1, store.count());
  }

  @Test
  void anotherWritersObjectStoredBeforeTheCommitIsKept() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash x = Hash.of(bytes("x"));
    try (ObjectBatch batch = store.newBatch()) {
      assertTrue(batch.add(new ByteArrayInputStream(bytes("x")), x).added());
      batch.add(new ByteArrayInputStream(bytes("y")), null);
      Path theirs = store.pathOf(x);
      assertTrue(store.add(new ByteArrayInputStream(bytes("x")), x).added());
      Object theirInode = Files.readAttributes(theirs, "unix:ino").get("ino");
      assertEquals(List.of(Hash.of(bytes("y"))), batch.commit());
      assertEquals(theirInode, Files.readAttributes(theirs, "unix:ino").get("ino"));
    }
    assertArrayEquals(bytes("x"), store.get(x).readAllBytes());
    assertEquals(2, store.count());
    assertEquals(0, tempFiles(store));
  }

  @Test
  void withoutRenameNoReplaceObjectsAreLinkedAndTheTemporaryNamesGo() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash x = Hash.of(bytes("x"));
    store.add(new ByteArrayInputStream(bytes("x")), x);
    try (ObjectBatch batch = new ObjectBatch(store, store.layout(), null, false)) {
      batch.add(new ByteArrayInputStream(bytes("a")), null);
      batch.add(new ByteArrayInputStream(bytes("b")), Hash.of(bytes("b")));
      assertEquals(List.of(Hash.of(bytes("a")), Hash.of(bytes("b"))), batch.commit());
    }
    assertArrayEquals(bytes("a"), store.get(Hash.of(bytes("a"))).readAllBytes());
    assertEquals(1, Files.getAttribute(store.pathOf(Hash.of(bytes("b"))), "unix:nlink"));
    assertEquals(3, store.count());
    assertEquals(0, tempFiles(store));
  }

  @Test
  void flushedCommitFlushesBeforeAndAfterLinkingAndReturnsWhatItLinked() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    store.add(new ByteArrayInputStream(bytes("old")), null);
    List<String> events = new ArrayList<>();
    Hash a = Hash.of(bytes("a"));
    try (ObjectBatch batch =
        store.newBatch(() -> events.add(store.has(a) ? "flush after" : "flush before"))) {
      batch.add(new ByteArrayInputStream(bytes("a")), a);
      batch.add(new ByteArrayInputStream(bytes("old")), null);
      batch.add(new ByteArrayInputStream(bytes("b")), null);
      assertEquals(List.of(a, Hash.of(bytes("b"))), batch.commit());
      assertEquals(List.of(), batch.commit(), "nothing pending");
    }
    assertEquals(List.of("flush before", "flush after"), events);
    assertEquals(3, store.count());
    assertEquals(0, tempFiles(store));
  }

  @Test
  void failedFlushLinksNothing() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    try (ObjectBatch batch =
        store.newBatch(
            () -> {
              throw new IOException("disk gone");
            })) {
      batch.add(new ByteArrayInputStream(bytes("a")), null);
      assertThrows(IOException.class, batch::commit);
    }
    assertFalse(store.has(Hash.of(bytes("a"))));
    assertEquals(0, tempFiles(store));
  }

  @Test
  void eachBatchStagesInADirectoryOfItsOwnUntilItsCommit() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    try (ObjectBatch one = store.newBatch();
        ObjectBatch two = store.newBatch();
        ObjectBatch three = store.newBatch()) {
      one.add(new ByteArrayInputStream(bytes("a")), null);
      one.add(new ByteArrayInputStream(bytes("b")), null);
      two.add(new ByteArrayInputStream(bytes("c")), null);
      assertEquals(List.of(1L, 2L), staged(store), "a directory per batch, holding its files");
      one.commit();
      assertEquals(List.of(1L), staged(store), "the committed batch's directory is gone");
      one.add(new ByteArrayInputStream(bytes("d")), null);
      assertEquals(List.of(1L, 1L), staged(store), "and made again for its next add");
      assertThrows(
          HashMismatchException.class,
          () -> three.add(new ByteArrayInputStream(bytes("e")), Hash.of(bytes("f"))));
      assertEquals(List.of(), three.commit());
      assertEquals(List.of(1L, 1L), staged(store), "a commit of nothing leaves no directory");
    }
    assertEquals(0, tempFiles(store), "closing discards");
    assertTrue(store.has(Hash.of(bytes("b"))));
    assertFalse(store.has(Hash.of(bytes("c"))));
    assertFalse(store.has(Hash.of(bytes("d"))));
  }

  // The files in each directory in the store's temporary directory, fewest first; a file there
  // (not a directory) fails the test.
  private static List<Long> staged(DiskObjectStore store) throws Exception {
    List<Long> counts = new ArrayList<>();
    try (Stream<Path> s = Files.list(store.layout().tempDir())) {
      for (Path p : s.toList()) {
        assertTrue(Files.isDirectory(p), p + " is not a batch's directory");
        try (Stream<Path> files = Files.list(p)) {
          counts.add(files.count());
        }
      }
    }
    counts.sort(null);
    return counts;
  }

  private static long tempFiles(DiskObjectStore store) throws Exception {
    try (Stream<Path> s = Files.list(store.layout().tempDir())) {
      return s.count();
    }
  }
}
