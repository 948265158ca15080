package dominion.subd.update;

import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.core.objectstore.DiskObjectStore;
import dominion.proto.subd.CopyToCache;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.InodeSpec;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.MetadataChange;
import dominion.proto.subd.UpdateRequest;
import dominion.subd.state.StateDir;
import dominion.subd.state.VerifiedObjects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A temporary root with subd's state inside it, a disk cache, and a recording service command (each
 * call appends "ACTION SERVICE" to a log). Builds update requests fluently.
 */
final class RootFixture {
  final Path root;
  final Path outside;
  final Path serviceLog;
  final StateDir state;
  final DiskObjectStore cache;
  final VerifiedObjects verified = new VerifiedObjects(1000);
  final RootFs rootFs;
  final Updater updater;
  final Path script;

  RootFixture(Path tmp) throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    serviceLog = tmp.resolve("services.log");
    script = tmp.resolve("record-service");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"$1 $2\" >> " + serviceLog + "\necho did $1\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    state = new StateDir(root.resolve(".subd"));
    cache = new DiskObjectStore(state.objects());
    rootFs = new RootFs(root);
    ServiceCommand services =
        new ServiceCommand(
            new ServiceCommand.Config(
                script + " {action} {service}", script + " reboot host", Duration.ofSeconds(20)));
    updater =
        new Updater(
            rootFs,
            cache,
            new InodeWriter(cache, verified, false),
            state,
            services,
            HashHints.NONE,
            Executors.newVirtualThreadPerTaskExecutor(),
            () -> {});
  }

  Path at(String treePath) {
    return root.resolve(treePath.substring(1));
  }

  /** Stores content in the cache, as a fetch does (remembered as verified); returns its hash. */
  Hash object(String content) throws IOException {
    Hash hash =
        cache.add(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null).hash();
    verified.verified(hash, cache.pathOf(hash));
    return hash;
  }

  static RegularInode file(String content, int perms, long mtimeNanos) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return RegularInode.of(perms, 0, 0, mtimeNanos, bytes.length, Hash.of(bytes));
  }

  List<String> serviceCalls() throws IOException {
    return Files.exists(serviceLog)
        ? Files.readAllLines(serviceLog, StandardCharsets.UTF_8)
        : List.of();
  }

  /** Builds an UpdateRequest. */
  static final class Request {
    String image = "test/1";
    boolean sparse;
    final List<DirectoryToMake> dirs = new ArrayList<>();
    final List<InodeToMake> inodes = new ArrayList<>();
    final List<CopyToCache> copies = new ArrayList<>();
    final List<HardLink> links = new ArrayList<>();
    final List<String> deletes = new ArrayList<>();
    final List<MetadataChange> metadata = new ArrayList<>();
    final List<Trigger> triggers = new ArrayList<>();

    Request dir(String path, int perms, int uid, int gid) {
      dirs.add(new DirectoryToMake(path, FileType.DIRECTORY.bits() | perms, uid, gid));
      return this;
    }

    Request inode(String path, Inode inode) {
      inodes.add(new InodeToMake(path, InodeSpec.of(inode)));
      return this;
    }

    Request link(String path, String target) {
      links.add(new HardLink(path, target));
      return this;
    }

    Request delete(String path) {
      deletes.add(path);
      return this;
    }

    Request metadata(String path, Inode inode) {
      metadata.add(new MetadataChange(path, InodeSpec.of(inode)));
      return this;
    }

    Request copy(String path, Hash hash) {
      copies.add(new CopyToCache(path, hash.hex()));
      return this;
    }

    Request trigger(Trigger t) {
      triggers.add(t);
      return this;
    }

    Request image(String name) {
      image = name;
      return this;
    }

    Request sparse() {
      sparse = true;
      return this;
    }

    UpdateRequest build() {
      return new UpdateRequest(
          image, sparse, dirs, inodes, copies, links, deletes, metadata, triggers);
    }
  }
}
