package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.TreePaths;
import dominion.core.objectstore.DiskObjectStore;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.TriggerResult;
import dominion.subd.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one checked update to the root, in this order: copy files into the cache; prepare,
 * under temporary names, every inode whose directory already exists (all of this before any
 * service stops, so the stop-to-start window holds only renames); stop services; make
 * directories; prepare the inodes of new directories; rename each into place; hard links;
 * deletes; metadata changes; record the image; start or reload services; reboot if asked.
 *
 * <p>Every step that could fail for want of space or a bad object runs before the renames, and
 * no file is ever written at its target name, so a failure or a kill leaves every path whole
 * (old or new). Services stopped are started again even when a step fails. Not thread-safe:
 * the {@link Updater} runs one at a time.
 */
final class Applier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);
  private static final int MAX_TRIGGER_PATHS = 1_000_000;

  private final RootFs root;
  private final DiskObjectStore cache;
  private final InodeWriter writer;
  private final StateDir state;
  private final ServiceCommand services;
  private final HashHints hints;

  Applier(RootFs root, DiskObjectStore cache, InodeWriter writer, StateDir state,
      ServiceCommand services, HashHints hints) {
    this.root = root;
    this.cache = cache;
    this.writer = writer;
    this.state = state;
    this.services = services;
    this.hints = hints;
  }

  UpdateResult apply(UpdatePlan plan, String id) {
    List<TriggerResult> results = new ArrayList<>();
    List<String> temps = new ArrayList<>();
    for (int i = 0; i < plan.inodes().size(); i++) {
      temps.add(tempPath(plan.inodes().get(i).path(), id, "i" + i));
    }
    for (int i = 0; i < plan.links().size(); i++) {
      temps.add(tempPath(plan.links().get(i).path(), id, "l" + i));
    }
    long windowStart = 0;
    long windowEnd = 0;
    String error = null;
    TriggerPlan triggers = TriggerPlan.NONE;
    List<String> stopped = new ArrayList<>();
    Journal journal = new Journal(id, temps, List.of(), List.of());
    try {
      triggers = TriggerPlan.of(state.lastTriggers(), plan.triggers(), changedPaths(plan));
      copyToCache(plan);
      checkObjects(plan);
      journal.write(state.journalFile());
      boolean[] prepared = new boolean[plan.inodes().size()];
      for (int i = 0; i < prepared.length; i++) {
        if (preparableNow(plan.inodes().get(i).path())) {
          prepare(plan.inodes().get(i), temps.get(i));
          prepared[i] = true;
        }
      }
      journal = new Journal(id, temps, triggers.stops(), triggers.starts());
      journal.write(state.journalFile());
      windowStart = System.nanoTime();
      for (String service : triggers.stops()) {
        results.add(services.run(service, "stop"));
        stopped.add(service);
      }
      applyChanges(plan, temps, prepared);
      state.recordImage(plan.imageName(), plan.triggers());
    } catch (IOException | RuntimeException e) {
      error = "update to " + plan.imageName() + " failed: " + e.getMessage();
      log.error("{}", error);
    } finally {
      removeTemps(temps);
      if (windowStart == 0) {
        windowStart = System.nanoTime();
      }
      results.addAll(start(triggers, stopped, error == null));
      windowEnd = System.nanoTime();
      try {
        Files.deleteIfExists(state.journalFile());
      } catch (IOException e) {
        log.warn("cannot remove update journal {}: {}", state.journalFile(), e.getMessage());
      }
    }
    long window = (windowEnd - windowStart) / 1_000_000;
    if (error == null && triggers.rebootFor() != null) {
      log.warn("trigger of {} asks for a reboot", triggers.rebootFor());
      results.add(services.reboot(triggers.rebootFor()));
    }
    log.info("update to {} {}: window {} ms, {} service commands", plan.imageName(),
        error == null ? "done" : "failed", window, results.size());
    return new UpdateResult(error, window, List.copyOf(results), System.currentTimeMillis());
  }

  private List<TriggerResult> start(TriggerPlan triggers, List<String> stopped,
      boolean succeeded) {
    List<TriggerResult> results = new ArrayList<>();
    for (TriggerPlan.Start s : triggers.starts()) {
      // After a failure the tree is part old, part new: start what was stopped, reload nothing.
      if (succeeded || stopped.contains(s.service())) {
        results.add(services.run(s.service(), succeeded ? s.action() : "start"));
      }
    }
    return results;
  }

  // True if the inode's directory is already there, safely; else it waits until the update
  // has made its directories (which may replace a file or symlink on the way).
  private boolean preparableNow(String path) throws IOException {
    try {
      return root.parentsExist(path);
    } catch (UnsafePathException e) {
      return false;
    }
  }

  // The paths triggers are matched against: every changed path, and everything below a path
  // to delete (a trigger on /opt/app/.* must fire when /opt/app goes).
  private Set<String> changedPaths(UpdatePlan plan) throws IOException {
    Set<String> paths = new LinkedHashSet<>(plan.changedPaths());
    for (String delete : plan.deletes()) {
      try {
        Path top = root.resolve(delete);
        Posix.Stat st = root.stat(top);
        if (st != null && st.isDirectory()) {
          try (var walk = Files.walk(top)) {
            walk.limit(MAX_TRIGGER_PATHS).filter(p -> !p.equals(top)).forEach(
                p -> paths.add(delete + "/" + top.relativize(p)));
          }
        }
      } catch (UnsafePathException e) {
        // Refused later, with the update.
      }
    }
    return paths;
  }

  private void checkObjects(UpdatePlan plan) throws IOException {
    for (UpdatePlan.PathInode i : plan.inodes()) {
      if (i.inode() instanceof RegularInode r && !cache.has(r.hash())) {
        throw new dominion.core.objectstore.MissingObjectException(r.hash());
      }
    }
  }

  private void copyToCache(UpdatePlan plan) throws IOException {
    for (UpdatePlan.Copy c : plan.copies()) {
      if (cache.has(c.hash())) {
        continue;
      }
      Path path = root.resolve(c.path());
      try (InputStream in = Files.newInputStream(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        cache.add(in, c.hash());
      } catch (IOException e) {
        throw new IOException("copy " + c.path() + " into the cache: " + e.getMessage(), e);
      }
    }
  }

  private void prepare(UpdatePlan.PathInode inode, String temp) throws IOException {
    Path path = root.resolve(temp);
    Files.deleteIfExists(path);
    writer.prepare(inode.inode(), path);
  }

  private void applyChanges(UpdatePlan plan, List<String> temps, boolean[] prepared)
      throws IOException {
    Set<Path> touchedDirs = new LinkedHashSet<>();
    for (UpdatePlan.PathInode d : plan.directories()) {
      makeDirectory(d);
      touchedDirs.add(root.resolve(d.path()).getParent());
    }
    for (int i = 0; i < prepared.length; i++) {
      if (!prepared[i]) {
        prepare(plan.inodes().get(i), temps.get(i));
      }
    }
    for (int i = 0; i < prepared.length; i++) {
      UpdatePlan.PathInode inode = plan.inodes().get(i);
      Path target = root.resolve(inode.path());
      renameOver(root.resolve(temps.get(i)), target);
      touchedDirs.add(target.getParent());
      if (inode.inode() instanceof RegularInode r) {
        hints.known(Posix.lstat(target), r.hash());
      }
    }
    for (int i = 0; i < plan.links().size(); i++) {
      link(plan.links().get(i), temps.get(prepared.length + i));
    }
    for (String delete : plan.deletes()) {
      Path path = root.resolve(delete);
      root.deleteTree(path);
      touchedDirs.add(path.getParent());
    }
    for (UpdatePlan.PathInode m : plan.metadata()) {
      changeMetadata(m);
    }
    for (Path dir : touchedDirs) {
      syncDirectory(dir);
    }
  }

  private void makeDirectory(UpdatePlan.PathInode d) throws IOException {
    Path path = root.resolve(d.path());
    Posix.Stat st = root.stat(path);
    if (st != null && !st.isDirectory()) {
      Files.delete(path);
      st = null;
    }
    if (st == null) {
      Files.createDirectory(path);
    }
    writer.setMetadata(d.inode(), path);
  }

  private void renameOver(Path temp, Path target) throws IOException {
    Posix.Stat st = root.stat(target);
    if (st != null && st.isDirectory()) {
      root.deleteTree(target);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private void link(HardLink l, String temp) throws IOException {
    Path path = root.resolve(l.path());
    Path target = root.resolve(l.target());
    Posix.Stat want = Posix.lstat(target);
    if (want.isDirectory()) {
      throw new IOException("hard link " + l.path() + " to " + l.target()
          + ": the target is a directory");
    }
    Posix.Stat have = root.stat(path);
    if (have != null && have.dev() == want.dev() && have.ino() == want.ino()) {
      return;
    }
    Path tempPath = root.resolve(temp);
    Files.deleteIfExists(tempPath);
    Files.createLink(tempPath, target);
    renameOver(tempPath, path);
  }

  private void changeMetadata(UpdatePlan.PathInode m) throws IOException {
    Path path = root.resolve(m.path());
    Posix.Stat st = Posix.lstat(path);
    if ((st.mode() & dominion.core.fs.FileType.TYPE_MASK) != m.inode().type().bits()) {
      throw new IOException("change metadata of " + m.path() + ": it is not of type "
          + m.inode().type().name().toLowerCase() + "; the update was computed from a stale scan");
    }
    writer.setMetadata(m.inode(), path);
  }

  private void removeTemps(List<String> temps) {
    for (String temp : temps) {
      try {
        Path path = root.resolve(temp);
        Posix.Stat st = root.stat(path);
        if (st != null && !st.isDirectory()) {
          Files.delete(path);
        } else if (st != null) {
          root.deleteTree(path);
        }
      } catch (IOException e) {
        // A missing or now-unsafe parent: nothing of ours can be there.
        log.debug("temp {} not removed: {}", temp, e.getMessage());
      }
    }
  }

  private static void syncDirectory(Path dir) {
    try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("fsync {}: {}", dir, e.getMessage());
    }
  }

  static String tempPath(String path, String id, String suffix) {
    return TreePaths.join(TreePaths.parent(path), Journal.TEMP_PREFIX + id + "-" + suffix);
  }
}
