package dominion.imagetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.hash.Hash;
import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.imagetool.ToolFixture.Run;
import dominion.imagetool.ToolFixture.TreeMaker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CommandsTest {
  @TempDir Path dir;
  ToolFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ToolFixture(dir.resolve("server"));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private void putSample(String name) throws Exception {
    TreeMaker m = ToolFixture.sample();
    f.put(name, m.image(ToolFixture.sampleFilter(), ToolFixture.sampleTriggers()), m.contents);
  }

  private static void ok(Run r) {
    assertEquals(0, r.code(), () -> "exit " + r.code() + "; stderr: " + r.err());
  }

  private static void fails(int code, Run r, String... inErr) {
    assertEquals(code, r.code(), () -> "stdout: " + r.out() + "; stderr: " + r.err());
    for (String s : inErr) {
      assertTrue(r.err().contains(s), () -> "stderr lacks \"" + s + "\": " + r.err());
    }
  }

  @Test
  void showPrintsOneLsLineAPath() throws Exception {
    putSample("sample");
    Run r = f.tool("show", "sample");
    ok(r);
    String passwd = Hash.of("root:x:0:0::/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8)).hex();
    String sshd = Hash.of("PermitRootLogin no\n".getBytes(StandardCharsets.UTF_8)).hex();
    assertEquals(
        String.join(
            "\n",
            "drwxr-xr-x 1 0 0 0 2023-11-14 22:13:20 /",
            "lrwxrwxrwx 1 0 0 7 2023-11-14 22:13:20 /bin -> usr/bin",
            "drwxr-xr-x 1 0 0 0 2023-11-14 22:13:20 /etc",
            "-rw-r--r-- 1 0 0 26 2023-11-14 22:13:20 /etc/passwd " + passwd,
            "drwxr-xr-x 1 0 0 0 2023-11-14 22:13:20 /etc/ssh",
            "-rwxr-xr-x 2 0 0 19 2023-11-14 22:13:20 /etc/ssh/hard " + sshd,
            "-rwxr-xr-x 2 0 0 19 2023-11-14 22:13:20 /etc/ssh/sshd_config " + sshd,
            ""),
        r.out());
  }

  @Test
  void modeStringsShowSpecialBits() {
    assertEquals("-rwsr-xr-x", Listing.modeString(0104755));
    assertEquals("-rwSr--r--", Listing.modeString(0104644));
    assertEquals("drwxrwxrwt", Listing.modeString(041777));
    assertEquals("-rwxr-sr-x", Listing.modeString(0102755));
    assertEquals("crw-rw-rw-", Listing.modeString(020666));
    assertEquals("prw-r--r--", Listing.modeString(010644));
  }

  @Test
  void dominatorStyleFlagsWorkBeforeAndAfterTheCommand() throws Exception {
    putSample("a");
    String port = Integer.toString(f.server.port());
    Run before =
        ToolFixture.raw(
            "--insecure", "-imageServerHostname=127.0.0.1", "-imageServerPortNum=" + port, "list");
    ok(before);
    assertEquals("a\n", before.out());
    Run after =
        ToolFixture.raw(
            "list", "-imageServerHostname", "127.0.0.1", "-imageServerPortNum", port, "--insecure");
    ok(after);
    assertEquals("a\n", after.out());
    ok(ToolFixture.raw("check", "a", "--image-server=127.0.0.1:" + port, "--insecure"));
  }

  @Test
  void usageErrorsExitTwo() {
    fails(2, ToolFixture.raw("frobnicate"), "frobnicate");
    fails(2, ToolFixture.raw("show"), "NAME");
    fails(2, ToolFixture.raw("--image-server", "nocolon:", "list"), "--image-server");
    fails(2, ToolFixture.raw("-imageServerPortNum=99999", "list"), "99999");
    fails(2, f.tool("show", "bad name"), "bad image name");
    fails(2, f.tool("add", "x"), "SOURCE");
    fails(2, ToolFixture.raw());
  }

  @Test
  void unreachableServerFailsWithOne() {
    Run r = ToolFixture.raw("--insecure", "--image-server", "127.0.0.1:1", "list");
    fails(1, r, "127.0.0.1:1");
  }

  @Test
  void checkExitsZeroOrOne() throws Exception {
    putSample("there");
    ok(f.tool("check", "there"));
    fails(1, f.tool("check", "nothere"), "nothere");
    ok(f.tool("delete", "there"));
    fails(1, f.tool("check", "there"), "deleted");
    fails(1, f.tool("delete", "there"), "there", "deleted");
    fails(1, f.tool("show", "there"), "there");
  }

  @Test
  void directoriesAndLatestImage() throws Exception {
    ok(f.tool("mkdir", "web"));
    ok(f.tool("mkdir", "web/prod"));
    fails(1, f.tool("mkdir", "web"), "web", "taken");
    fails(1, f.tool("mkdir", "nope/x"), "nope", "mkdir");
    Run dirs = f.tool("listdirs");
    ok(dirs);
    assertEquals("web\nweb/prod\n", dirs.out());
    fails(1, f.tool("find-latest-image", "web"), "web", "no image");
    putSample("web/1");
    putSample("web/2");
    Run latest = f.tool("find-latest-image", "web");
    ok(latest);
    assertEquals("web/2\n", latest.out());
    fails(1, f.tool("find-latest-image", "elsewhere"), "elsewhere");
  }

  @Test
  void showFilterAndTriggers() throws Exception {
    putSample("s");
    Run filter = f.tool("show-filter", "s");
    ok(filter);
    assertEquals("/tmp/.*\n/var/log/.*\n", filter.out());
    Run triggers = f.tool("show-triggers", "s");
    ok(triggers);
    assertTrue(triggers.out().contains("\"Service\" : \"sshd\""), triggers.out());
    TreeMaker m = ToolFixture.sample();
    f.put("sparse", m.image(null, dominion.core.image.Triggers.NONE), m.contents);
    Run sparse = f.tool("show-filter", "sparse");
    ok(sparse);
    assertEquals("", sparse.out());
    assertTrue(sparse.err().contains("sparse"), sparse.err());
  }

  @Test
  void diffReportsEachKindOfChange() throws Exception {
    TreeMaker left =
        new TreeMaker()
            .dir("/etc")
            .file("/etc/a", "a")
            .file("/etc/b", "b")
            .file("/etc/c", "c")
            .link("/l", "x");
    TreeMaker right =
        new TreeMaker()
            .dir("/etc")
            .file("/etc/a", "a")
            .file("/etc/b", "b2")
            .file("/etc/c", "c", 0600, ToolFixture.T)
            .file("/etc/d", "d")
            .link("/l", "y");
    f.put(
        "left",
        left.image(ToolFixture.sampleFilter(), ToolFixture.sampleTriggers()),
        left.contents);
    f.put("right", right.image(null, dominion.core.image.Triggers.NONE), right.contents);
    Run r = f.tool("diff", "left", "right");
    ok(r);
    assertEquals(
        String.join(
            "\n",
            "C /etc/b  (size 1 -> 2, hash)",
            "M /etc/c  (mode -rw-r--r-- -> -rw-------)",
            "+ /etc/d",
            "C /l  (target x -> y)",
            "filter: 2 lines -> none (sparse)",
            "triggers: 1 -> 0 (differ)",
            "1 added, 0 removed, 2 content changed, 1 metadata changed",
            ""),
        r.out());
    Run back = f.tool("diff", "right", "left");
    ok(back);
    assertTrue(
        back.out()
            .startsWith(
                "C /etc/b  (size 2 -> 1, hash)\n"
                    + "M /etc/c  (mode -rw------- -> -rw-r--r--)\n- /etc/d\n"),
        back.out());
    fails(1, f.tool("diff", "left", "missing"), "missing");
  }

  @Test
  void matchTriggersListsPathsPerTrigger() throws Exception {
    putSample("s");
    Path triggers = dir.resolve("triggers.json");
    Files.writeString(
        triggers,
        """
        [{"MatchLines": ["/etc/ssh/.*"], "Service": "sshd", "SortName": "b"},
         {"MatchLines": ["/nothing"], "Service": "cron", "SortName": "a"},
         {"MatchLines": ["/etc/passwd", "/bin"], "Service": "nscd", "Unknown": 1}]
        """);
    Run r = f.tool("match-triggers", "s", triggers.toString());
    ok(r);
    assertEquals(
        String.join(
            "\n",
            "nscd: 2 paths",
            "  /bin",
            "  /etc/passwd",
            "cron: 0 paths",
            "sshd: 2 paths",
            "  /etc/ssh/hard",
            "  /etc/ssh/sshd_config",
            ""),
        r.out());
  }

  @Test
  void estimateUsageCountsDistinctObjects() throws Exception {
    putSample("s");
    Run r = f.tool("estimate-usage", "s");
    ok(r);
    assertEquals("45 bytes (45 B) in 2 distinct objects\n", r.out());
  }

  @Test
  void addiMakesANewImageFromAnOldOnesFiles() throws Exception {
    putSample("old");
    Path filter = dir.resolve("filter");
    Files.writeString(filter, "/etc/ssh/.*\n\n/proc/.*\n");
    Run r = f.tool("addi", "new", "old", filter.toString(), "");
    ok(r);
    Image old = f.images.getImage(ImageName.of("old"));
    Image made = f.images.getImage(ImageName.of("new"));
    assertEquals(old.tree(), made.tree());
    assertEquals(List.of("/etc/ssh/.*", "/proc/.*"), made.filter().lines());
    assertTrue(made.triggers().isEmpty());
    ok(f.tool("addi", "sparse", "old", "", ""));
    assertTrue(f.images.getImage(ImageName.of("sparse")).sparse());
    fails(1, f.tool("addi", "new", "old", "", ""), "new", "taken");
  }

  @Test
  void badRegexAndBadJsonFailClearlyAndAddNothing() throws Exception {
    putSample("old");
    Path filter = dir.resolve("filter");
    Files.writeString(filter, "/ok/.*\n/bad/[unclosed\n");
    fails(
        1,
        f.tool("addi", "new", "old", filter.toString(), ""),
        filter.toString(),
        "line 2",
        "[unclosed");
    Path triggers = dir.resolve("triggers.json");
    Files.writeString(triggers, "[{\"Service\": \"sshd\", \"MatchLines\": [\"/etc/.*\"]},,]");
    fails(
        1,
        f.tool("addi", "new", "old", "", triggers.toString()),
        triggers.toString(),
        "bad triggers JSON");
    Path badRegexTrigger = dir.resolve("t2.json");
    Files.writeString(badRegexTrigger, "[{\"Service\": \"sshd\", \"MatchLines\": [\"(\"]}]");
    fails(1, f.tool("addi", "new", "old", "", badRegexTrigger.toString()), "sshd", "(");
    fails(1, f.tool("addi", "new", "old", dir.resolve("nofile").toString(), ""), "nofile");
    assertEquals(List.of(ImageName.of("old")), f.images.listImages());
  }
}
