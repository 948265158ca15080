package dominion.fleettest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.subd.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of issue 4: real daemons on real sockets, three subds on 127.0.0.2-4 each managing a
 * temporary root. The scenarios run in order on one fleet, each leaving it converged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class FleetTest {
  // /var/log is also outside subd's scans; /etc/local is left alone by the image's filter alone.
  private static final List<String> FILTER = List.of("/var/log/.*", "/etc/local/.*");
  private static final String TRIGGERS =
      "[{\"MatchLines\": [\"/etc/app/.*\"], \"Service\": \"app\"}]";

  private Path dir;
  private Fleet fleet;

  @BeforeAll
  void startFleet(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    fleet = new Fleet(dir, 3);
    // Each sub starts different: empty; with junk; with a file where the filter keeps it.
    write(fleet.root(1).resolve("junk.txt"), "not in the image");
    write(fleet.root(2).resolve("var/log/keep.log"), "filtered: the image leaves it alone");
    write(fleet.root(2).resolve("etc/local/site.conf"), "site = here\n");
    fleet.addImage("web/1", source("v1"), FILTER, TRIGGERS);
    fleet.setRequired(null, "web/1");
    fleet.start();
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static void write(Path file, String content) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  // An image's source: a small root whose /etc/app/app.conf says which version it is.
  private Path source(String version) throws Exception {
    Path src = dir.resolve("src-" + version);
    write(src.resolve("etc/motd"), "welcome\n");
    write(src.resolve("etc/app/app.conf"), "version = " + version + "\n");
    write(src.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
    src.resolve("usr/bin/tool").toFile().setExecutable(true);
    write(src.resolve("usr/share/doc/README"), "read me\n");
    Files.createDirectories(src.resolve("var/log"));
    Files.createSymbolicLink(src.resolve("etc/issue"), Path.of("motd"));
    return src;
  }

  private List<String> differences(int sub, String image) throws Exception {
    return TreeCheck.differences(fleet.image(image), fleet.root(sub), Settings.DEFAULT_EXCLUSIONS);
  }

  @Test
  @Order(1)
  void theFleetConvergesToItsImage() throws Exception {
    fleet.await("the fleet on web/1", () -> fleet.convergedTo("web/1"));
    for (int i = 0; i < fleet.size; i++) {
      assertEquals(List.of(), differences(i, "web/1"));
    }
    assertFalse(Files.exists(fleet.root(1).resolve("junk.txt")));
  }

  @Test
  @Order(2)
  void theFiltersPathsAreUntouched() throws Exception {
    assertEquals(
        "filtered: the image leaves it alone",
        Files.readString(fleet.root(2).resolve("var/log/keep.log")));
    assertEquals("site = here\n", Files.readString(fleet.root(2).resolve("etc/local/site.conf")));
    // Changing a filtered file is not drift either.
    write(fleet.root(2).resolve("etc/local/site.conf"), "site = changed\n");
    write(fleet.root(2).resolve("etc/motd"), "drift\n");
    fleet.await(
        "sub4 repaired",
        () -> differences(2, "web/1").isEmpty() && fleet.state(2).equals("synced"));
    assertEquals(
        "site = changed\n", Files.readString(fleet.root(2).resolve("etc/local/site.conf")));
  }

  @Test
  @Order(3)
  void aChangedAddedOrDeletedFileIsRepaired() throws Exception {
    Path root = fleet.root(1);
    write(root.resolve("etc/motd"), "changed by hand\n");
    write(root.resolve("usr/share/doc/added.txt"), "added by hand\n");
    Files.delete(root.resolve("usr/bin/tool"));
    fleet.await(
        "sub3 repaired",
        () -> differences(1, "web/1").isEmpty() && fleet.state(1).equals("synced"));
    assertEquals("welcome\n", Files.readString(root.resolve("etc/motd")));
    assertFalse(Files.exists(root.resolve("usr/share/doc/added.txt")));
  }

  @Test
  @Order(4)
  void aNewImageMovesTheFleetAndFiresItsTriggers() throws Exception {
    fleet.addImage("web/2", source("v2"), FILTER, TRIGGERS);
    fleet.setRequired(null, "web/2");
    fleet.await("the fleet on web/2", () -> fleet.convergedTo("web/2"));
    for (int i = 0; i < fleet.size; i++) {
      assertEquals("version = v2\n", Files.readString(fleet.root(i).resolve("etc/app/app.conf")));
      List<String> services = Files.readAllLines(fleet.servicesLog(i));
      assertTrue(
          services.contains("stop app") && services.contains("start app"),
          fleet.host(i) + " ran " + services);
    }
  }

  @Test
  @Order(5)
  void aSparseImageLeavesOtherFilesAlone() throws Exception {
    Path src = dir.resolve("src-sparse");
    write(src.resolve("opt/extra/extra.conf"), "extra\n");
    fleet.addImage("extra/1", src, null, null);
    fleet.setRequired(Fleet.host(0), "extra/1");
    fleet.await(
        "sub2 on extra/1",
        () -> "extra/1".equals(fleet.sub(0).lastImage()) && fleet.state(0).equals("synced"));
    assertEquals("extra\n", Files.readString(fleet.root(0).resolve("opt/extra/extra.conf")));
    assertEquals("version = v2\n", Files.readString(fleet.root(0).resolve("etc/app/app.conf")));
    assertEquals(List.of(), differences(0, "extra/1"));
    fleet.setRequired(Fleet.host(0), "web/2");
    fleet.await("the fleet on web/2", () -> fleet.convergedTo("web/2"));
    assertFalse(Files.exists(fleet.root(0).resolve("opt/extra")), "web/2 manages everything");
  }

  @Test
  @Order(6)
  void aSubThatWasDownConvergesWhenItComesBack() throws Exception {
    fleet.stopSub(2);
    fleet.await("sub4 unreachable", () -> fleet.state(2).equals("unreachable"));
    fleet.addImage("web/3", source("v3"), FILTER, TRIGGERS);
    fleet.setRequired(null, "web/3");
    fleet.await(
        "the others on web/3",
        () -> "web/3".equals(fleet.sub(0).lastImage()) && "web/3".equals(fleet.sub(1).lastImage()));
    assertEquals("version = v2\n", Files.readString(fleet.root(2).resolve("etc/app/app.conf")));
    fleet.startSub(2);
    fleet.await("the fleet on web/3", () -> fleet.convergedTo("web/3"));
  }

  @Test
  @Order(7)
  void anMdbThatDoesNotParseChangesNothing() throws Exception {
    byte[] good = Files.readAllBytes(fleet.mdb.path());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[{\"Hostname\": \"sub2\", \"RequiredImage\": ", StandardCharsets.UTF_8);
    Files.move(
        bad,
        fleet.mdb.path(),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    fleet.await("the MDB error shown", () -> fleet.domtool("list-subs")[1].contains("MDB: "));
    Thread.sleep(1500);
    assertTrue(fleet.convergedTo("web/3"), fleet.describe());
    Path fixed = dir.resolve("fixed.json");
    Files.write(fixed, good);
    Files.move(
        fixed,
        fleet.mdb.path(),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    fleet.await("the MDB error gone", () -> !fleet.domtool("list-subs")[1].contains("MDB: "));
  }

  @Test
  @Order(8)
  void disabledUpdatesHoldAllChangesUntilEnabled() throws Exception {
    String[] r = fleet.domtool("disable-updates", "fleet", "test", "freeze");
    assertEquals("0", r[0], r[2]);
    fleet.addImage("web/4", source("v4"), FILTER, TRIGGERS);
    fleet.setRequired(null, "web/4");
    write(fleet.root(0).resolve("etc/motd"), "drift while disabled\n");
    fleet.await("every sub held", () -> fleet.allIn("updates-disabled"));
    Thread.sleep(1500);
    assertTrue(fleet.allIn("updates-disabled"), fleet.describe());
    for (int i = 0; i < fleet.size; i++) {
      assertEquals("version = v3\n", Files.readString(fleet.root(i).resolve("etc/app/app.conf")));
    }
    assertEquals("drift while disabled\n", Files.readString(fleet.root(0).resolve("etc/motd")));
    assertEquals("0", fleet.domtool("enable-updates", "thaw")[0]);
    fleet.await("the fleet on web/4", () -> fleet.convergedTo("web/4"));
  }

  @Test
  @Order(9)
  void anUnsafeUpdateIsHeldUntilCleared() throws Exception {
    Path root = fleet.root(1);
    // Made beside the root and renamed in, so that no scan sees only some of the files.
    Path staged = dir.resolve("staged-srv");
    for (int i = 0; i < 30; i++) {
      write(staged.resolve("data/file" + i), "data " + i);
    }
    Files.move(staged, root.resolve("srv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    fleet.await("sub3 held", () -> fleet.state(1).equals("unsafe-update"));
    Thread.sleep(1000);
    assertTrue(Files.exists(root.resolve("srv/data/file0")), "nothing deleted while held");
    String[] show = fleet.domtool("show-sub", Fleet.host(1));
    assertTrue(show[1].contains("unsafe update held"), show[1]);
    String[] r = fleet.domtool("clear-safety-shutoff", Fleet.host(1));
    assertEquals("0", r[0], r[2]);
    fleet.await("the fleet on web/4", () -> fleet.convergedTo("web/4"));
    assertFalse(Files.exists(root.resolve("srv")));
  }
}
