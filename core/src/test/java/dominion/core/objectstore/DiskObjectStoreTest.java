package dominion.core.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dominion.core.fs.Posix;
import dominion.core.hash.Hash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskObjectStoreTest {
  @TempDir Path dir;

  private static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void addStoresUnderTheHashAndReadsBack() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);
    ObjectAdder.AddResult r = store.add(bytes("hello"), null);
    assertTrue(r.added());
    assertEquals(5, r.size());
    assertEquals(Hash.of("hello".getBytes(StandardCharsets.UTF_8)), r.hash());
    assertTrue(store.has(r.hash()));
    assertEquals(5, store.size(r.hash()));
    try (InputStream in = store.get(r.hash())) {
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
    }
    String hex = r.hash().hex();
    assertTrue(Files.isRegularFile(dir.resolve(hex.substring(0, 2)).resolve(hex.substring(2))));
    assertEquals(1, store.count());
    assertEquals(5, store.totalBytes());
  }

  @Test
  void secondAddIsANoOp() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash h = store.add(bytes("same"), null).hash();
    assertFalse(store.add(bytes("same"), null).added());
    assertFalse(store.add(bytes("same"), h).added());
    assertEquals(1, store.count());
    assertEquals(4, store.totalBytes());
  }

  @Test
  void mismatchedBytesAreRefusedAndNothingIsLeft() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash claimed = Hash.of("other".getBytes(StandardCharsets.UTF_8));
    HashMismatchException e =
        assertThrows(HashMismatchException.class, () -> store.add(bytes("evil"), claimed));
    assertEquals(claimed, e.expected());
    assertTrue(e.getMessage().contains(claimed.hex()));
    assertEquals(0, store.count());
    assertFalse(store.has(e.actual()));
    try (Stream<Path> temps = Files.list(store.layout().tempDir())) {
      assertEquals(0, temps.count());
    }
  }

  @Test
  void missingObjectsSayWhich() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash h = Hash.of(new byte[] {1});
    MissingObjectException e = assertThrows(MissingObjectException.class, () -> store.get(h));
    assertEquals(h, e.hash());
    assertThrows(MissingObjectException.class, () -> store.size(h));
  }

  @Test
  void concurrentAddsOfOneObjectAreSafe() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    byte[] data = new byte[1 << 20];
    new java.util.Random(1).nextBytes(data);
    List<Callable<ObjectAdder.AddResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      tasks.add(() -> store.add(new ByteArrayInputStream(data), null));
    }
    int added = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<ObjectAdder.AddResult> f : pool.invokeAll(tasks)) {
        added += f.get().added() ? 1 : 0;
      }
    }
    assertEquals(1, added);
    assertEquals(1, store.count());
    try (InputStream in = store.get(Hash.of(data))) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void reopeningCountsObjectsAndDropsPartialWrites() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash a = store.add(bytes("a"), null).hash();
    Hash b = store.add(bytes("bb"), null).hash();
    Files.writeString(store.layout().tempDir().resolve("add-123.tmp"), "half written");
    Path batch = Files.createDirectory(store.layout().tempDir().resolve("batch-7f"));
    Files.writeString(batch.resolve("0.tmp"), "staged, never named");

    DiskObjectStore reopened = new DiskObjectStore(dir);
    assertEquals(2, reopened.count());
    assertEquals(3, reopened.totalBytes());
    Set<Hash> seen = new HashSet<>();
    reopened.forEach(seen::add);
    assertEquals(Set.of(a, b), seen);
    try (Stream<Path> temps = Files.list(reopened.layout().tempDir())) {
      assertEquals(0, temps.count());
    }
  }

  @Test
  void theTemporaryDirectoryIsMarkedAsATopDirectoryWhereTheFileSystemHasTheFlag() throws Exception {
    DiskObjectStore store = new DiskObjectStore(dir);
    // PosixTest checks the flag itself; here, that the store sets it.
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/lsattr")), "lsattr (e2fsprogs) tells");
    assumeTrue(
        Posix.markTopDirectory(Files.createDirectory(dir.resolve("probe"))),
        "this file system has no top-directory flag");
    Process lsattr =
        new ProcessBuilder("lsattr", "-d", store.layout().tempDir().toString()).start();
    String out = new String(lsattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, lsattr.waitFor());
    assertTrue(out.split(" ", 2)[0].contains("T"), out);
  }

  @Test
  void aNewStoreHasEveryShardDirectory() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);

    Set<String> shards = new HashSet<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(Files::isDirectory).forEach(p -> shards.add(p.getFileName().toString()));
    }
    assertEquals(257, shards.size(), "256 shards and .tmp: " + shards);
    for (int i = 0; i < 256; i++) {
      assertTrue(
          shards.contains(String.format(java.util.Locale.ROOT, "%02x", i)), shards::toString);
    }
    Hash h = store.add(bytes("x"), null).hash();
    assertEquals(h.hex().substring(0, 2), store.pathOf(h).getParent().getFileName().toString());
    assertEquals(1, store.count());
  }

  @Test
  void deleteRemovesAndUpdatesTotals() throws IOException {
    DiskObjectStore store = new DiskObjectStore(dir);
    Hash a = store.add(bytes("abc"), null).hash();
    assertTrue(store.delete(a));
    assertFalse(store.delete(a));
    assertFalse(store.has(a));
    assertEquals(0, store.count());
    assertEquals(0, store.totalBytes());
  }

  @Test
  void memoryStoreBehavesAlike() throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    Hash h = store.put("x".getBytes(StandardCharsets.UTF_8));
    assertTrue(store.has(h));
    assertFalse(store.add(bytes("x"), h).added());
    assertThrows(HashMismatchException.class, () -> store.add(bytes("y"), h));
    assertEquals(1, store.count());
  }
}
