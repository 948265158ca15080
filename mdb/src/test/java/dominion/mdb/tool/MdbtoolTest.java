package dominion.mdb.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MdbtoolTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--mdb-file";
    all[1] = dir.resolve("mdb.json").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = MdbtoolMain.run(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private Mdb mdb() throws Exception {
    return new MdbFile(dir.resolve("mdb.json"), new MdbCodec()).load();
  }

  @Test
  void addCreatesTheFileWithEveryOption() throws Exception {
    Result r =
        run(
            "add",
            "web1",
            "--ip",
            "127.0.0.2",
            "--port",
            "7000",
            "--required",
            "web/1",
            "--planned",
            "web/2");
    assertEquals(0, r.code(), r.err());
    var m = mdb().get("web1");
    assertEquals("127.0.0.2", m.ipAddress());
    assertEquals(7000, m.port());
    assertEquals("web/1", m.requiredImage());
    assertEquals("web/2", m.plannedImage());
  }

  @Test
  void addOfAnExistingHostFails() {
    run("add", "web1");
    Result r = run("add", "web1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("already in"), r.err());
  }

  @Test
  void addWithABadImageNameIsAUsageError() {
    Result r = run("add", "web1", "--required", "bad name");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bad image name"), r.err());
    assertTrue(Files.notExists(dir.resolve("mdb.json")));
  }

  @Test
  void addWithABadPortIsAUsageError() {
    assertEquals(2, run("add", "web1", "--port", "0").code());
    assertEquals(2, run("add", "web1", "--port", "x").code());
  }

  @Test
  void listPrintsOneLinePerMachine() {
    run("add", "b", "--required", "img/1");
    run("add", "a");
    Result r = run("list");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length, r.out());
    assertTrue(lines[1].startsWith("a "), r.out());
    assertTrue(lines[2].contains("img/1"), r.out());
  }

  @Test
  void listJsonPrintsTheFile() throws Exception {
    run("add", "a");
    Result r = run("list", "--json");
    assertEquals(Files.readString(dir.resolve("mdb.json")), r.out());
  }

  @Test
  void listOfAMissingFileSaysSo() {
    Result r = run("list");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no such file"), r.err());
  }

  @Test
  void showPrintsTheRecord() {
    run("add", "a", "--required", "x/1");
    Result r = run("show", "a");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"RequiredImage\" : \"x/1\""), r.out());
  }

  @Test
  void showOfAnUnknownHostFails() {
    run("add", "a");
    Result r = run("show", "b");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("show machine b: not in"), r.err());
  }

  @Test
  void removeDeletesTheMachine() throws Exception {
    run("add", "a");
    run("add", "b");
    assertEquals(0, run("remove", "a").code());
    assertNull(mdb().get("a"));
    assertEquals(1, run("remove", "a").code());
  }

  @Test
  void setRequiredChangesEveryMatchingMachine() throws Exception {
    run("add", "web1");
    run("add", "web2");
    run("add", "db1");
    Result r = run("set-required", "web*", "web/3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("2 machine(s): web1 web2"), r.out());
    assertEquals("web/3", mdb().get("web2").requiredImage());
    assertNull(mdb().get("db1").requiredImage());
  }

  @Test
  void setPlannedChangesThePlannedImage() throws Exception {
    run("add", "a");
    assertEquals(0, run("set-planned", "a", "x/2").code());
    assertEquals("x/2", mdb().get("a").plannedImage());
  }

  @Test
  void setRequiredMatchingNothingFailsAndWritesNothing() throws Exception {
    run("add", "a");
    byte[] before = Files.readAllBytes(dir.resolve("mdb.json"));
    Result r = run("set-required", "zz*", "x/1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no machine"), r.err());
    assertEquals(
        new String(before, StandardCharsets.UTF_8), Files.readString(dir.resolve("mdb.json")));
  }

  @Test
  void disableAndEnableUpdates() throws Exception {
    run("add", "a");
    assertEquals(0, run("disable-updates", "a").code());
    assertTrue(mdb().get("a").disableUpdates());
    assertEquals(0, run("enable-updates", "a").code());
    assertEquals(false, mdb().get("a").disableUpdates());
  }

  @Test
  void aBadFileIsReportedWithItsName() throws Exception {
    Files.writeString(dir.resolve("mdb.json"), "[{]");
    Result r = run("set-required", "a", "x/1");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("mdb.json: bad MDB JSON"), r.err());
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(2, run().code());
  }
}
