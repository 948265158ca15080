package dominion.core.tar;

import dominion.core.fs.DirectoryInode;
import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.fs.TreePaths;
import dominion.core.hash.Hash;
import dominion.core.hash.HashingInputStream;
import dominion.core.objectstore.ObjectGetter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link FileTree} as a tar archive (POSIX pax, see {@link TarWriter}), with contents from
 * an {@link ObjectGetter}, each checked against its length and hash. Members are in tree order, the
 * root as {@code ./}, other names without a leading slash; the second and later names of an inode
 * are hard-link members; owners are numeric; a capability is a {@code
 * SCHILY.xattr.security.capability} record. {@link TarImporter} reads the result back into an equal
 * tree, and GNU tar extracts it ({@code --xattrs} for capabilities).
 */
public final class TarExporter {
  private static final HexFormat HEX = HexFormat.of();

  private final Config config;
  private final ObjectGetter objects;

  /**
   * @param compression how to compress the archive; null means none
   */
  public record Config(Compression compression) {
    public static final Config PLAIN = new Config(Compression.NONE);

    public Config {
      compression = compression == null ? Compression.NONE : compression;
    }
  }

  public TarExporter(Config config, ObjectGetter objects) {
    this.config = Objects.requireNonNull(config, "config");
    this.objects = Objects.requireNonNull(objects, "objects");
  }

  /**
   * Writes the archive to {@code out} and flushes it; {@code out} stays open.
   *
   * @throws IOException if an object is missing or does not match the tree (the archive is then
   *     incomplete)
   */
  public void export(FileTree tree, OutputStream out) throws IOException {
    OutputStream shielded =
        new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush();
          }
        };
    try (OutputStream compressed = config.compression().compress(shielded);
        OutputStream buffered = new BufferedOutputStream(compressed, 1 << 16)) {
      TarWriter writer = new TarWriter(buffered);
      Map<Long, String> firstName = new HashMap<>();
      for (Entry e : tree.entries()) {
        writeEntry(writer, e, firstName);
      }
      writer.finish();
    }
  }

  /** Writes the archive to {@code file} through a temporary file renamed into place. */
  public void export(FileTree tree, Path file) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        export(tree, out);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void writeEntry(TarWriter writer, Entry e, Map<Long, String> firstName)
      throws IOException {
    String name = memberName(e);
    String first = firstName.putIfAbsent(e.inum(), name);
    var inode = e.inode();
    if (first != null) {
      writer.header(member(name, TarEntry.HARD_LINK, e, 0, first, 0, 0, Map.of()));
      return;
    }
    switch (inode) {
      case DirectoryInode d ->
          writer.header(member(name, TarEntry.DIRECTORY, e, 0, "", 0, 0, Map.of()));
      case SymlinkInode s ->
          writer.header(member(name, TarEntry.SYMLINK, e, 0, s.target(), 0, 0, Map.of()));
      case SpecialInode s -> {
        byte type =
            switch (s.type()) {
              case CHAR_DEVICE -> TarEntry.CHAR_DEVICE;
              case BLOCK_DEVICE -> TarEntry.BLOCK_DEVICE;
              default -> TarEntry.FIFO;
            };
        writer.header(
            member(
                name,
                type,
                e,
                0,
                "",
                SpecialInode.major(s.rdev()),
                SpecialInode.minor(s.rdev()),
                Map.of()));
      }
      case RegularInode r -> {
        Map<String, byte[]> xattrs =
            r.capability() == null
                ? Map.of()
                : Map.of(Posix.CAPABILITY_XATTR, HEX.parseHex(r.capability()));
        writer.header(member(name, TarEntry.REGULAR, e, r.size(), "", 0, 0, xattrs));
        try (HashingInputStream in = new HashingInputStream(objects.get(r.hash()))) {
          writer.data(in, r.size(), e.path());
          Hash actual = in.hash();
          if (!actual.equals(r.hash())) {
            throw new IOException(
                "export "
                    + e.path()
                    + ": object "
                    + r.hash()
                    + " holds bytes hashing to "
                    + actual);
          }
        }
      }
    }
  }

  private static TarEntry member(
      String name,
      byte type,
      Entry e,
      long size,
      String link,
      long major,
      long minor,
      Map<String, byte[]> xattrs) {
    var inode = e.inode();
    return new TarEntry(
        0,
        name,
        type,
        inode.permissions(),
        Integer.toUnsignedLong(inode.uid()),
        Integer.toUnsignedLong(inode.gid()),
        size,
        inode.mtimeNanos(),
        link,
        major,
        minor,
        xattrs);
  }

  private static String memberName(Entry e) {
    if (e.path().equals(TreePaths.ROOT)) {
      return "./";
    }
    String name = e.path().substring(1);
    return e.inode() instanceof DirectoryInode ? name + "/" : name;
  }
}
