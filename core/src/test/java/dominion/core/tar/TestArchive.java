package dominion.core.tar;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds small archives, malformed ones included, with {@link TarWriter}. */
final class TestArchive {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarWriter writer = new TarWriter(bytes);

  static TarEntry entry(String name, byte type, int mode, long size, String link) {
    return new TarEntry(0, name, type, mode, 0, 0, size, 1_000_000_000L, link, 0, 0, Map.of());
  }

  TestArchive file(String name, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    try {
      writer.header(entry(name, TarEntry.REGULAR, 0644, data.length, ""));
      writer.data(new ByteArrayInputStream(data), data.length, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  TestArchive dir(String name) {
    return add(entry(name, TarEntry.DIRECTORY, 0755, 0, ""));
  }

  TestArchive symlink(String name, String target) {
    return add(entry(name, TarEntry.SYMLINK, 0777, 0, target));
  }

  TestArchive hardLink(String name, String target) {
    return add(entry(name, TarEntry.HARD_LINK, 0644, 0, target));
  }

  TestArchive add(TarEntry e) {
    try {
      writer.header(e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  /** A pax extended header with the given records, applying to the next member. */
  TestArchive paxHeader(Map<String, byte[]> records) {
    byte[] data = PaxRecords.format(records);
    bytes.writeBytes(
        TarWriter.block(
            "PaxHeaders/x".getBytes(StandardCharsets.UTF_8),
            TarEntry.PAX,
            0644,
            0,
            0,
            data.length,
            0,
            new byte[0],
            0,
            0));
    bytes.writeBytes(data);
    bytes.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return this;
  }

  /** The archive so far, without its end-of-archive marker. */
  byte[] unfinished() {
    return bytes.toByteArray();
  }

  /** The complete archive. */
  byte[] finish() {
    try {
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  Path writeTo(Path file) throws IOException {
    return Files.write(file, finish());
  }
}
