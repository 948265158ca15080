package dominion.subd.update;

import static dominion.subd.update.RootFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.SymlinkInode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Updates never write outside the root, and the outside stays exactly as it was. */
class PathEscapeTest {
  @TempDir Path tmp;
  RootFixture fx;
  List<String> outsideBefore;

  @BeforeEach
  void setUp() throws IOException {
    fx = new RootFixture(tmp);
    Files.writeString(fx.outside.resolve("secret"), "secret", StandardCharsets.UTF_8);
    Files.createDirectories(fx.at("/etc"));
    Files.createSymbolicLink(fx.at("/evil"), fx.outside);
    Files.createSymbolicLink(fx.at("/etc/rel"), Path.of("../../outside"));
    fx.object("pwned");
    outsideBefore = listing(fx.outside);
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.map(
              p -> {
                try {
                  return dir.relativize(p)
                      + " "
                      + (Files.isRegularFile(p)
                          ? Files.readString(p, StandardCharsets.UTF_8)
                              + " "
                              + Files.getPosixFilePermissions(p)
                              + " "
                              + Files.getOwner(p)
                          : "");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sorted()
          .toList();
    }
  }

  private void assertRefused(RootFixture.Request request) throws IOException {
    UpdateResult result = fx.updater.apply(request.build());
    assertTrue(result.error() != null && result.error().contains("refused"), result.error());
    assertEquals(outsideBefore, listing(fx.outside));
  }

  @Test
  void dotDotIsRefusedBeforeAnything() throws IOException {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            fx.updater.apply(
                new RootFixture.Request()
                    .inode("/etc/../../outside/secret", file("pwned", 0644, 0))
                    .build()));
    assertThrows(
        IllegalArgumentException.class,
        () -> fx.updater.apply(new RootFixture.Request().delete("/..").build()));
    assertEquals(outsideBefore, listing(fx.outside));
  }

  @Test
  void relativePathIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            fx.updater.apply(
                new RootFixture.Request().inode("etc/passwd", file("pwned", 0644, 0)).build()));
  }

  @Test
  void fileUnderSymlinkedParentIsRefused() throws IOException {
    assertRefused(new RootFixture.Request().inode("/evil/secret", file("pwned", 0644, 0)));
    assertRefused(new RootFixture.Request().inode("/etc/rel/secret", file("pwned", 0644, 0)));
  }

  @Test
  void directoryUnderSymlinkedParentIsRefused() throws IOException {
    assertRefused(new RootFixture.Request().dir("/evil/sub", 0755, 0, 0));
  }

  @Test
  void deleteUnderSymlinkedParentIsRefused() throws IOException {
    assertRefused(new RootFixture.Request().delete("/evil/secret"));
  }

  @Test
  void metadataChangeUnderSymlinkedParentIsRefused() throws IOException {
    assertRefused(new RootFixture.Request().metadata("/evil/secret", file("secret", 0777, 0)));
  }

  @Test
  void hardLinkToOrFromOutsideIsRefused() throws IOException {
    assertRefused(new RootFixture.Request().link("/stolen", "/evil/secret"));
    assertRefused(new RootFixture.Request().link("/evil/planted", "/etc"));
  }

  @Test
  void symlinkMadeEarlierInTheSameUpdateIsNotFollowed() throws IOException {
    Files.writeString(fx.at("/etc/motd"), "hi", StandardCharsets.UTF_8);
    assertRefused(
        new RootFixture.Request()
            .inode("/trap", SymlinkInode.of(0, 0, 0, fx.outside.toString()))
            .link("/trap/planted", "/etc/motd"));
  }

  @Test
  void deletingTheSymlinkItselfLeavesItsTargetAlone() throws IOException {
    fx.updater.apply(new RootFixture.Request().delete("/evil").build());
    assertTrue(Files.notExists(fx.at("/evil"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals(outsideBefore, listing(fx.outside));
  }
}
