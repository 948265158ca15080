package dominion.certtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.proto.tls.HostVerification;
import dominion.proto.tls.Identity;
import dominion.proto.tls.Pem;
import dominion.proto.tls.TlsConfig;
import dominion.proto.tls.TlsCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CerttoolMainTest {
  @TempDir Path dir;

  private String out;
  private String err;

  private int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = CerttoolMain.run(args, new PrintWriter(o), new PrintWriter(e));
    out = o.toString();
    err = e.toString();
    return code;
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void initIssueShowRoundTrip() throws Exception {
    assertEquals(0, run("init-ca", "--name", "Test fleet", path("ca")), err);
    assertTrue(out.contains("made CA \"Test fleet\""), out);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/CA.key.pem"))));

    assertEquals(
        0,
        run(
            "issue",
            "--ca",
            path("ca"),
            "--name",
            "dominator",
            "--role",
            "dominator",
            "--methods",
            "Dominator.GetStatus",
            "--host",
            "dom.example",
            "--host",
            "10.0.0.1",
            "--days",
            "30",
            path("dom")),
        err);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dom/key.pem"))));

    assertEquals(0, run("show", path("dom/cert.pem")), err);
    assertTrue(out.contains("user:    dominator\n"), out);
    assertTrue(out.contains("methods: Subd.*, ImageServer.GetImage,"), out);
    assertTrue(out.contains(", Dominator.GetStatus\n"), out);
    assertTrue(out.contains("hosts:   dom.example, 10.0.0.1\n"), out);
    assertTrue(out.contains("issuer:  CN=Test fleet\n"), out);
    assertTrue(out.contains("(valid, 29 days left)"), out);

    // What certtool wrote is what daemons load.
    TlsCredentials creds =
        TlsConfig.withDefaults(dir.resolve("ca/CA.pem"), dir.resolve("dom"), null, null, null)
            .load();
    Identity id = creds.identity();
    assertEquals("dominator", id.user());
    assertTrue(id.permits("Subd.Update"));
    assertTrue(id.permits("Dominator.GetStatus"));
    assertFalse(id.permits("ImageServer.AddImage"));
    TlsConfig.withDefaults(dir.resolve("ca/CA.pem"), dir.resolve("dom"), null, null, null)
        .clientSslContext(HostVerification.IF_NAMED);
  }

  @Test
  void showsCaAndCertificateDirectory() throws Exception {
    run("init-ca", path("ca"));
    assertEquals(0, run("show", path("ca/CA.pem")), err);
    assertTrue(out.contains("user:    Dominion fleet CA (a CA: it issues certificates)"), out);
    run("issue", "--ca", path("ca"), "--name", "subd", "--role", "subd", path("subd"));
    assertEquals(0, run("show", path("subd")), err);
    assertTrue(out.contains("methods: ObjectServer.GetObjects\n"), out);
    assertTrue(out.contains("hosts:   (none: any host; clients check the CA only)"), out);
  }

  @Test
  void theMdbdRoleGrantsNoMethod() {
    run("init-ca", path("ca"));
    assertEquals(
        0, run("issue", "--ca", path("ca"), "--name", "mdbd", "--role", "mdbd", path("mdbd")), err);
    assertEquals(0, run("show", path("mdbd")), err);
    assertTrue(out.contains("methods: (none: it may call no method)\n"), out);
  }

  @Test
  void issueWithoutMethodsIsUsageError() {
    run("init-ca", path("ca"));
    assertEquals(2, run("issue", "--ca", path("ca"), "--name", "x", path("x")));
    assertTrue(err.contains("no methods for x: give --methods GLOB,... or --role ROLE"), err);
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void badValuesAreUsageErrorsNamingTheValue() {
    run("init-ca", path("ca"));
    assertEquals(2, run("issue", "--ca", path("ca"), "--name", "x", "--role", "root", path("x")));
    assertTrue(err.contains("unknown role \"root\""), err);
    assertEquals(
        2, run("issue", "--ca", path("ca"), "--name", "x", "--methods", "Subd.P?ll", path("x")));
    assertTrue(err.contains("bad method glob \"Subd.P?ll\""), err);
    assertEquals(
        2,
        run(
            "issue",
            "--ca",
            path("ca"),
            "--name",
            "x",
            "--role",
            "admin",
            "--host",
            "a b",
            path("x")));
    assertTrue(err.contains("bad host \"a b\""), err);
    assertEquals(
        2,
        run(
            "issue",
            "--ca",
            path("ca"),
            "--name",
            "x",
            "--role",
            "admin",
            "--days",
            "-1",
            path("x")));
    assertTrue(err.contains("bad --days -1"), err);
    assertEquals(2, run("init-ca", "--name", " ", path("ca2")));
    assertTrue(err.contains("bad CA name"), err);
    assertEquals(2, run());
    assertEquals(2, run("frobnicate"));
  }

  @Test
  void failuresExitOneNamingWhatWasWrong() throws Exception {
    assertEquals(
        1, run("issue", "--ca", path("none"), "--name", "x", "--role", "admin", path("x")));
    assertTrue(err.contains("none/CA.pem: no such file"), err);

    run("init-ca", path("ca"));
    assertEquals(1, run("init-ca", path("ca")));
    assertTrue(err.contains("already exists"), err);

    assertEquals(
        1,
        run(
            "issue",
            "--ca",
            path("ca"),
            "--name",
            "x",
            "--role",
            "admin",
            "--days",
            "4000",
            path("x")));
    assertTrue(err.contains("outlive the CA"), err);

    Files.writeString(dir.resolve("junk.pem"), "junk");
    assertEquals(1, run("show", path("junk.pem")));
    assertTrue(err.contains("junk.pem: no \"BEGIN CERTIFICATE\" block found"), err);
  }

  @Test
  void issueRefusesToOverwriteUnlessForced() throws Exception {
    run("init-ca", path("ca"));
    assertEquals(0, run("issue", "--ca", path("ca"), "--name", "a", "--role", "admin", path("u")));
    assertEquals(1, run("issue", "--ca", path("ca"), "--name", "b", "--role", "admin", path("u")));
    assertTrue(err.contains("already exists"), err);
    assertEquals("a", Identity.userOf(Pem.readCertificate(dir.resolve("u/cert.pem"))));
    assertEquals(
        0,
        run("issue", "--ca", path("ca"), "--name", "b", "--role", "admin", "--force", path("u")));
    assertEquals("b", Identity.userOf(Pem.readCertificate(dir.resolve("u/cert.pem"))));
  }

  @Test
  void rolesListsPresets() {
    assertEquals(0, run("roles"));
    assertTrue(out.contains("subd           ObjectServer.GetObjects\n"), out);
    assertTrue(out.contains("admin          *\n"), out);
  }
}
