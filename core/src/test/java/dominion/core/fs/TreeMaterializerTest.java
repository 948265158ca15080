package dominion.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import dominion.core.objectstore.HashMismatchException;
import dominion.core.objectstore.MemoryObjectStore;
import dominion.core.objectstore.MissingObjectException;
import dominion.core.objectstore.ObjectGetter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeMaterializerTest {
  @TempDir Path dir;

  /** Stores the content of every regular file of {@code tree}, read from {@code root}. */
  static MemoryObjectStore storeContents(FileTree tree, Path root) throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    for (Entry e : tree.entries()) {
      if (e.inode() instanceof RegularInode r) {
        try (InputStream in = Files.newInputStream(root.resolve(e.path().substring(1)))) {
          store.add(in, r.hash());
        }
      }
    }
    return store;
  }

  @Test
  void scanMaterializeScanGivesAnEqualTree() throws IOException {
    Path src = Files.createDirectory(dir.resolve("src"));
    SampleDirectory.populate(src);
    Posix.chmod(src.resolve("etc"), 0555);
    Posix.setMtime(src.resolve("etc"), 1_111_111_111_222_333_444L);
    Posix.setMtime(src, 5);
    FileTree tree = TreeScanner.plain().scan(src).tree();
    MemoryObjectStore store = storeContents(tree, src);

    Path dst = dir.resolve("new/dst");
    TreeMaterializer.Config config =
        PosixTest.isRoot() ? TreeMaterializer.Config.EXACT : TreeMaterializer.Config.UNPRIVILEGED;
    TreeMaterializer.Result result = new TreeMaterializer(config, store).materialize(tree, dst);

    assertEquals(tree, TreeScanner.plain().scan(dst).tree());
    assertEquals(tree.size() - 1, result.entries());
    assertEquals(9 + 11 + 4, result.bytesWritten());
    assertEquals(
        Posix.lstat(dst.resolve("bin/su")).ino(), Posix.lstat(dst.resolve("bin/su-again")).ino());
  }

  @Test
  void unprivilegedRunsSkipDevicesButMakeFifos() throws IOException {
    FileTree tree =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/null", 2, new SpecialInode(0020666, 0, 0, 0, SpecialInode.makeDev(1, 3)))
            .add("/fifo", 3, new SpecialInode(0010640, 0, 0, 7, 0))
            .build();
    TreeMaterializer.Result result =
        new TreeMaterializer(TreeMaterializer.Config.UNPRIVILEGED, new MemoryObjectStore())
            .materialize(tree, dir.resolve("t"));
    assertEquals(1, result.devicesSkipped());
    assertFalse(Files.exists(dir.resolve("t/null")));
    Posix.Stat fifo = Posix.lstat(dir.resolve("t/fifo"));
    assertEquals(0010640, fifo.mode());
    assertEquals(7, fifo.mtimeNanos());
  }

  @Test
  void refusesATargetThatIsNotEmpty() throws IOException {
    Files.writeString(dir.resolve("x"), "x", StandardCharsets.UTF_8);
    FileTree tree = FileTree.empty(DirectoryInode.of(0755, 0, 0, 0));
    DirectoryNotEmptyException e =
        assertThrows(
            DirectoryNotEmptyException.class,
            () ->
                new TreeMaterializer(TreeMaterializer.Config.EXACT, new MemoryObjectStore())
                    .materialize(tree, dir));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
  }

  private static FileTree oneFile(Hash hash, long size) {
    return new FileTree.Builder()
        .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
        .add("/f", 2, RegularInode.of(0644, 0, 0, 0, size, hash))
        .build();
  }

  @Test
  void verifiesObjectLengthAndHash() {
    byte[] good = "good".getBytes(StandardCharsets.UTF_8);
    Hash hash = Hash.of(good);
    ObjectGetter liar =
        new ObjectGetter() {
          @Override
          public InputStream get(Hash h) {
            return new ByteArrayInputStream("evil".getBytes(StandardCharsets.UTF_8));
          }

          @Override
          public long size(Hash h) {
            return 4;
          }
        };
    TreeMaterializer m = new TreeMaterializer(TreeMaterializer.Config.EXACT, liar);
    IOException bad =
        assertThrows(IOException.class, () -> m.materialize(oneFile(hash, 4), dir.resolve("a")));
    assertInstanceOf(HashMismatchException.class, bad.getCause());
    assertTrue(bad.getMessage().contains(dir.resolve("a/f").toString()), bad.getMessage());
    IOException shortObject =
        assertThrows(IOException.class, () -> m.materialize(oneFile(hash, 5), dir.resolve("b")));
    assertTrue(
        shortObject.getMessage().contains("has 4 bytes, the tree says 5"),
        shortObject.getMessage());
    IOException longObject =
        assertThrows(IOException.class, () -> m.materialize(oneFile(hash, 3), dir.resolve("c")));
    assertTrue(longObject.getMessage().contains("more than 3"), longObject.getMessage());
  }

  @Test
  void aMissingObjectNamesThePath() {
    Hash hash = Hash.of(new byte[] {1});
    TreeMaterializer m =
        new TreeMaterializer(TreeMaterializer.Config.EXACT, new MemoryObjectStore());
    IOException e =
        assertThrows(IOException.class, () -> m.materialize(oneFile(hash, 1), dir.resolve("a")));
    assertInstanceOf(MissingObjectException.class, e.getCause());
    assertTrue(e.getMessage().contains("/a/f"), e.getMessage());
  }

  @Test
  void neverWritesThroughADirectorySwappedForASymlink() throws IOException {
    MemoryObjectStore store = new MemoryObjectStore();
    Hash one = store.put("one".getBytes(StandardCharsets.UTF_8));
    Hash two = store.put("two".getBytes(StandardCharsets.UTF_8));
    FileTree tree =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/a", 2, DirectoryInode.of(0755, 0, 0, 0))
            .add("/a/1", 3, RegularInode.of(0644, 0, 0, 0, 3, one))
            .add("/a/2", 4, RegularInode.of(0644, 0, 0, 0, 3, two))
            .build();
    Path dst = dir.resolve("dst");
    Path outside = Files.createDirectory(dir.resolve("outside"));
    ObjectGetter swapping =
        new ObjectGetter() {
          @Override
          public InputStream get(Hash h) throws IOException {
            if (h.equals(one)) {
              Files.move(dst.resolve("a"), dst.resolve("moved"));
              Files.createSymbolicLink(dst.resolve("a"), outside);
            }
            return store.get(h);
          }

          @Override
          public long size(Hash h) throws IOException {
            return store.size(h);
          }
        };
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new TreeMaterializer(TreeMaterializer.Config.EXACT, swapping)
                    .materialize(tree, dst));
    assertTrue(e.getMessage().contains("refused"), e.getMessage());
    assertTrue(e.getMessage().contains(dst.resolve("a/2").toString()), e.getMessage());
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(List.of(), s.map(Path::toString).toList());
    }
    assertNull(Posix.lstatIfExists(outside.resolve("2")));
  }
}
