package dominion.fleettest;

import dominion.core.image.Image;
import dominion.core.image.ImageName;
import dominion.dominator.Dominator;
import dominion.dominator.domtool.DomtoolMain;
import dominion.dominator.herd.HerdConfig;
import dominion.imageserver.Imageserver;
import dominion.imagetool.ImagetoolMain;
import dominion.mdb.Machine;
import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import dominion.proto.dominator.SubInfo;
import dominion.proto.imageserver.ImageServerClient;
import dominion.proto.rpc.SecuritySetup;
import dominion.proto.rpc.TestFleet;
import dominion.proto.subd.SubdConfig;
import dominion.proto.tls.Role;
import dominion.subd.Settings;
import dominion.subd.Subd;
import dominion.subd.rehearsal.Rehearsal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A whole fleet on loopback: one imageserver, one dominator and several subds, each subd on its own
 * address (127.0.0.2, 127.0.0.3, ...) managing its own temporary root, with a service command that
 * records what it is asked to do. Real daemons, real sockets, and TLS with certificates made at
 * start by a test CA: each daemon has its role's certificate (the subds share one certificate that
 * names no host, the choice docs/security.md describes beside per-host ones), imagetool adds images
 * as an image builder, and mkdir and domtool run as an admin.
 */
final class Fleet implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  final Path dir;
  final int size;
  private final TestFleet pki;
  private final SecuritySetup subdSecurity;
  private final List<String> adminFlags;
  private final List<String> builderFlags;
  private final HttpClient adminHttp;
  private final Imageserver imageserver;
  private final ImageServerClient images;
  private final Subd[] subds;
  private final Subd.Config[] subdConfigs;
  final MdbFile mdb;
  private final Dominator dominator;

  Fleet(Path dir, int size) throws Exception {
    this.dir = dir;
    this.size = size;
    pki = new TestFleet(dir.resolve("pki"), "fleettest CA");
    Path admin = pki.issue(Role.ADMIN, "admin", List.of());
    adminFlags = pki.flags(admin);
    builderFlags = pki.flags(pki.issue(Role.IMAGE_BUILDER, "builder", List.of()));
    subdSecurity = pki.daemon("subd", pki.issue(Role.SUBD));
    imageserver =
        new Imageserver(
            new Imageserver.Config(dir.resolve("imageserver"), "127.0.0.1", 0),
            pki.daemon(
                    "imageserver",
                    pki.issue(Role.IMAGESERVER, "imageserver", List.of("127.0.0.1", "localhost")))
                .serverSecurity(),
            Clock.systemUTC());
    imageserver.start();
    SecuritySetup adminSecurity = pki.cli(admin);
    adminHttp = adminSecurity.newHttpClient(Executors.newVirtualThreadPerTaskExecutor());
    images =
        new ImageServerClient(
            adminSecurity.client(
                adminHttp, "127.0.0.1", imageserver.port(), Duration.ofSeconds(30)));
    subds = new Subd[size];
    subdConfigs = new Subd.Config[size];
    List<Machine> machines = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Path home = dir.resolve(host(i));
      Files.createDirectories(home.resolve("root"));
      Path script = home.resolve("service.sh");
      Files.writeString(
          script,
          "#!/bin/sh\necho \"$1 $2\" >> " + home.resolve("services.log") + "\n",
          StandardCharsets.UTF_8);
      script.toFile().setExecutable(true);
      subdConfigs[i] =
          new Subd.Config(
              home.resolve("root"),
              home.resolve("root/.subd"),
              address(i),
              freePort(address(i)),
              new SubdConfig(100, 100, 100, Settings.DEFAULT_EXCLUSIONS),
              script + " {action} {service}",
              "true",
              Duration.ofMillis(100),
              Duration.ofSeconds(1),
              Duration.ofSeconds(600),
              1e9,
              1_000_000_000L,
              false,
              Rehearsal.Config.OFF);
      machines.add(Machine.of(host(i)).withIpAddress(address(i)).withPort(subdConfigs[i].port()));
    }
    mdb = new MdbFile(dir.resolve("mdb.json"), new MdbCodec());
    mdb.writeIfChanged(Mdb.of(machines));
    HerdConfig herd =
        HerdConfig.defaults("127.0.0.1:" + imageserver.port())
            .withPollInterval(Duration.ofMillis(300))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .withImageRetry(Duration.ofMillis(500));
    SecuritySetup dominatorSecurity =
        pki.daemon("dominator", pki.issue(Role.DOMINATOR, "dominator", List.of("127.0.0.1")));
    dominator =
        new Dominator(
            new Dominator.Config(
                mdb.path(),
                "127.0.0.1",
                imageserver.port(),
                dir.resolve("dominator"),
                "127.0.0.1",
                0,
                herd,
                Duration.ofMillis(200)),
            dominatorSecurity.serverSecurity(),
            dominatorSecurity.clientContext(),
            Clock.systemUTC());
  }

  /** Starts the subds and the dominator. */
  Fleet start() throws Exception {
    for (int i = 0; i < size; i++) {
      startSub(i);
    }
    dominator.start();
    return this;
  }

  static String host(int i) {
    return "sub" + (i + 2);
  }

  static String address(int i) {
    return "127.0.0." + (i + 2);
  }

  static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  Path root(int i) {
    return subdConfigs[i].rootDir();
  }

  Path servicesLog(int i) {
    return dir.resolve(host(i)).resolve("services.log");
  }

  void startSub(int i) throws Exception {
    subds[i] =
        new Subd(subdConfigs[i], subdSecurity.serverSecurity(), subdSecurity.clientContext())
            .start();
  }

  void stopSub(int i) {
    subds[i].close();
    subds[i] = null;
  }

  /** Adds an image from a directory with imagetool; {@code filter} null makes it sparse. */
  void addImage(String name, Path source, List<String> filter, String triggersJson)
      throws IOException {
    String filterFile = "";
    if (filter != null) {
      Path f = Files.createTempFile(dir, "filter", ".txt");
      Files.write(f, filter, StandardCharsets.UTF_8);
      filterFile = f.toString();
    }
    String triggersFile = "";
    if (triggersJson != null) {
      Path t = Files.createTempFile(dir, "triggers", ".json");
      Files.writeString(t, triggersJson, StandardCharsets.UTF_8);
      triggersFile = t.toString();
    }
    String directory = ImageName.of(name).directory();
    if (!directory.isEmpty() && !images.listDirectories().contains(directory)) {
      imagetool(adminFlags, "mkdir", directory);
    }
    imagetool(builderFlags, "add", name, source.toString(), filterFile, triggersFile);
  }

  private void imagetool(List<String> tls, String... args) {
    List<String> all = new ArrayList<>(tls);
    all.addAll(List.of("--image-server", "127.0.0.1:" + imageserver.port()));
    all.addAll(List.of(args));
    StringWriter err = new StringWriter();
    int code =
        ImagetoolMain.run(
            all.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
    if (code != 0) {
      throw new AssertionError("imagetool " + String.join(" ", args) + " failed: " + err);
    }
  }

  Image image(String name) {
    return images.getImage(ImageName.of(name));
  }

  /** Sets the required image of the machines {@code which} names (all if null). */
  void setRequired(String host, String image) throws IOException {
    mdb.edit(
        m ->
            m.update(
                x -> host == null || x.hostname().equals(host), x -> x.withRequiredImage(image)),
        false);
  }

  /** Runs domtool against the dominator; returns its exit code and output. */
  String[] domtool(String... args) {
    List<String> all = new ArrayList<>(adminFlags);
    all.addAll(List.of("--dominator", "127.0.0.1:" + dominator.port()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        DomtoolMain.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  SubInfo sub(int i) {
    var view = dominator.herd().view(host(i));
    return view == null ? null : view.info();
  }

  String state(int i) {
    SubInfo s = sub(i);
    return s == null ? "absent" : s.state();
  }

  boolean allIn(String state) {
    for (int i = 0; i < size; i++) {
      if (!state(i).equals(state)) {
        return false;
      }
    }
    return true;
  }

  /** Every sub is synced on {@code image} and its root holds it. */
  boolean convergedTo(String image) throws IOException {
    Image img = image(image);
    for (int i = 0; i < size; i++) {
      SubInfo s = sub(i);
      if (s == null
          || !s.state().equals("synced")
          || !image.equals(s.lastImage())
          || !TreeCheck.differences(img, root(i), Settings.DEFAULT_EXCLUSIONS).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < size; i++) {
      SubInfo s = sub(i);
      b.append("\n  ")
          .append(host(i))
          .append(": ")
          .append(
              s == null
                  ? "absent"
                  : s.state()
                      + " last="
                      + s.lastImage()
                      + " error="
                      + s.lastError()
                      + " detail="
                      + s.detail());
    }
    return b.toString();
  }

  interface Check {
    boolean test() throws Exception;
  }

  /** Polls {@code check} until it holds, failing after {@link #WAIT}. */
  void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.test()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + WAIT.toSeconds() + " s waiting for " + what + describe());
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    dominator.close();
    for (int i = 0; i < size; i++) {
      if (subds[i] != null) {
        subds[i].close();
      }
    }
    imageserver.close();
    adminHttp.shutdownNow();
  }
}
