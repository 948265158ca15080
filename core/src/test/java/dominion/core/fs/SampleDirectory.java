package dominion.core.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small directory with one of every kind of inode, for scanner, materializer and tar tests. */
public final class SampleDirectory {
  private SampleDirectory() {}

  /** Builds a small tree with one of every kind of inode; devices and owners need root. */
  public static void populate(Path root) throws IOException {
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("dev"));
    Files.createDirectories(root.resolve("etc/deep/er"));
    Files.writeString(root.resolve("bin/su"), "su binary", StandardCharsets.UTF_8);
    Files.createLink(root.resolve("bin/su-again"), root.resolve("bin/su"));
    Files.writeString(root.resolve("bin/ping"), "ping binary", StandardCharsets.UTF_8);
    Files.writeString(root.resolve("etc/deep/er/conf"), "a=b\n", StandardCharsets.UTF_8);
    Files.write(root.resolve("etc/empty"), new byte[0]);
    Posix.symlink("../bin//su", root.resolve("etc/su-link"));
    Posix.symlink("/nowhere", root.resolve("dangling"));
    Posix.chmod(root.resolve("bin/su"), 04755);
    Posix.chmod(root.resolve("etc/deep"), 01750);
    Posix.setMtime(root.resolve("etc/deep/er/conf"), 1_700_000_000_123_456_789L);
    Posix.setMtime(root.resolve("etc/su-link"), -42);
    if (isRoot()) {
      Posix.setCapability(root.resolve("bin/ping"), CAP);
      Posix.mknod(root.resolve("dev/null"), 0020666, SpecialInode.makeDev(1, 3));
      Posix.mknod(root.resolve("dev/sda"), 0060660, SpecialInode.makeDev(8, 0));
      Posix.mknod(root.resolve("dev/fifo"), 0010600, 0);
      Posix.lchown(root.resolve("etc/su-link"), 123, 456);
      Posix.lchown(root.resolve("etc/deep/er/conf"), 3_000_000, 2_200_000);
    }
  }

  /** The capability set on bin/ping: cap_setuid and cap_net_raw, effective. */
  public static final String CAP = PosixTest.CAP;

  public static boolean isRoot() {
    return PosixTest.isRoot();
  }
}
