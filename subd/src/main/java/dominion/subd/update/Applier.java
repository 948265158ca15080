package dominion.subd.update;

import dominion.core.fs.Posix;
import dominion.core.fs.RegularInode;
import dominion.core.fs.TreePaths;
import dominion.core.objectstore.DiskObjectStore;
import dominion.core.objectstore.MissingObjectException;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.TriggerResult;
import dominion.subd.state.StateDir;
import dominion.subd.sys.DiskFull;
import dominion.subd.sys.LinuxCalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one checked update to the root, in this order: copy files into the cache; prepare every
 * inode under a temporary name (all before any service stops, so the stop-to-start window holds
 * little more than renames; see {@link Preparer}); flush the file system; stop services; make
 * directories; rename each inode into place; hard links; deletes; metadata changes; record the
 * image; start or reload services; flush again (after the window: what services see does not wait
 * for the disk); reboot if asked.
 *
 * <p>Every step that could fail for want of space or a bad object runs before the renames, and no
 * file is ever written at its target name, so a failure or a kill leaves every path whole (old or
 * new). Services stopped are started again even when a step fails. Not thread-safe: the {@link
 * Updater} runs one at a time.
 *
 * <p>Durability takes two {@code syncfs} calls, not an fsync per file, and is crash-safe because of
 * their order. Fetched objects were durable before the cache named them (see {@link
 * dominion.core.objectstore.ObjectBatch}). The first flush, before the window, makes every prepared
 * inode durable whole: copied bytes, the links to cache objects, owner, mode, capability and mtime.
 * Only then are they renamed over their targets, so a rename that survives a power cut can only
 * name an inode that was already whole on disk; one that does not survive leaves the old file, also
 * whole (ext4 replays its journal in order; the flush means no rename depends on data still in
 * memory, whatever the mount's data mode). The second flush, after the window and before the update
 * is reported done, makes the renames, deletes and the image record durable. Between the two, a
 * crash leaves each path old or new, and the journal lets a restart clean up.
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
  private final boolean flush;

  /**
   * @param flush make prepared files durable (syncfs) before renaming them into place
   */
  Applier(
      RootFs root,
      DiskObjectStore cache,
      InodeWriter writer,
      StateDir state,
      ServiceCommand services,
      HashHints hints,
      boolean flush) {
    this.root = root;
    this.cache = cache;
    this.writer = writer;
    this.state = state;
    this.services = services;
    this.hints = hints;
    this.flush = flush;
  }

  UpdateResult apply(UpdatePlan plan, String id) {
    List<TriggerResult> results = new ArrayList<>();
    List<String> temps = new ArrayList<>();
    for (int i = 0; i < plan.inodes().size(); i++) {
      temps.add(tempPath(plan.inodes().get(i).path(), id, "i" + i));
    }
    List<String> linkTemps = new ArrayList<>();
    for (int i = 0; i < plan.links().size(); i++) {
      linkTemps.add(tempPath(plan.links().get(i).path(), id, "l" + i));
    }
    List<String> dirTemps = NewDirectories.temps(plan.directories(), id);
    List<String> allTemps = new ArrayList<>(temps);
    allTemps.addAll(linkTemps);
    allTemps.addAll(dirTemps);
    Path staging = staging();
    NewDirectories newDirectories = new NewDirectories(root, writer, plan.directories(), dirTemps);
    Preparer preparer =
        new Preparer(root, writer, staging, newDirectories, plan.inodes(), temps, hints);
    Trash trash = staging == null ? null : new Trash(staging.resolve("trash-" + id), rootDev());
    MetadataChanges metadata = new MetadataChanges(root, writer, hints);
    long windowStart = 0;
    String error = null;
    TriggerPlan triggers = TriggerPlan.NONE;
    List<String> stopped = new ArrayList<>();
    long checking = System.nanoTime();
    try {
      triggers = TriggerPlan.of(state.lastTriggers(), plan.triggers(), changedPaths(plan));
      copyToCache(plan);
      checkObjects(plan);
      new Journal(id, allTemps, List.of(), List.of()).write(state.journalFile());
      long begin = System.nanoTime();
      newDirectories.build();
      log.debug(
          "update {}: triggers, copies into the cache, objects and journal in {} ms",
          id,
          ms(begin - checking));
      preparer.prepareEarly();
      if (trash != null) {
        preparer.keepReplaced(trash);
        for (String delete : plan.deletes()) {
          try {
            trash.keepTree(root.resolve(delete));
          } catch (IOException e) {
            // Refused, or gone: the window's delete says which.
          }
        }
      }
      long made = System.nanoTime();
      flush();
      log.info(
          "update {}: {} inodes ({} of them cache objects linked) prepared in {} ms,"
              + " flushed in {} ms",
          id,
          plan.inodes().size(),
          preparer.linkedCount(),
          (made - begin) / 1_000_000,
          (System.nanoTime() - made) / 1_000_000);
      new Journal(id, allTemps, triggers.stops(), triggers.starts()).write(state.journalFile());
      windowStart = System.nanoTime();
      for (String service : triggers.stops()) {
        stopped.add(service);
        results.add(services.run(service, "stop"));
      }
      long prepared = System.nanoTime();
      applyChanges(plan, preparer, newDirectories, trash, linkTemps, metadata);
      state.recordImage(plan.imageName(), plan.triggers());
      log.debug(
          "update {}: changes applied in {} ms", id, (System.nanoTime() - prepared) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      error = "update to " + plan.imageName() + " failed: " + e.getMessage();
      if (DiskFull.is(e)) {
        error += "; the file system of " + root.root() + " is full: free space there and retry";
      }
      log.error("{}", error);
    } finally {
      if (windowStart == 0) {
        windowStart = System.nanoTime();
      }
      results.addAll(start(triggers, stopped, error == null));
    }
    long windowEnd = System.nanoTime();
    long window = (windowEnd - windowStart) / 1_000_000;
    // After the window: what is left of temporary names (nothing, unless a step failed).
    preparer.cleanup();
    newDirectories.cleanup();
    for (String t : linkTemps) {
      try {
        root.deleteTree(root.resolve(t));
      } catch (IOException e) {
        log.debug("temp {} not removed: {}", t, e.getMessage());
      }
    }
    long settling = System.nanoTime();
    preparer.settle();
    metadata.hintScanner();
    long emptying = System.nanoTime();
    if (trash != null) {
      trash.empty(root);
    }
    long flushing = System.nanoTime();
    flush();
    try {
      Files.deleteIfExists(state.journalFile());
    } catch (IOException e) {
      log.warn("cannot remove update journal {}: {}", state.journalFile(), e.getMessage());
    }
    log.debug(
        "update {}: after the window, cleanup in {} ms, cache names and hints in {} ms, {}"
            + " replaced or deleted files freed in {} ms, flushed in {} ms",
        id,
        ms(settling - windowEnd),
        ms(emptying - settling),
        trash == null ? 0 : trash.kept(),
        ms(flushing - emptying),
        ms(System.nanoTime() - flushing));
    if (error == null && triggers.rebootFor() != null) {
      log.warn("trigger of {} asks for a reboot", triggers.rebootFor());
      results.add(services.reboot(triggers.rebootFor()));
    }
    log.info(
        "update to {} {}: window {} ms, {} service commands",
        plan.imageName(),
        error == null ? "done" : "failed",
        window,
        results.size());
    return new UpdateResult(error, window, List.copyOf(results), System.currentTimeMillis());
  }

  private long rootDev() {
    try {
      return Posix.lstat(root.root()).dev();
    } catch (IOException e) {
      return -1;
    }
  }

  // The staging directory, if it is on the root's file system (renames cannot cross them).
  private Path staging() {
    try {
      Path dir = state.staging();
      return Posix.lstat(dir).dev() == Posix.lstat(root.root()).dev() ? dir : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void flush() {
    if (!flush) {
      return;
    }
    try {
      LinuxCalls.syncfs(root.root());
    } catch (IOException | RuntimeException | LinkageError e) {
      log.warn(
          "cannot flush {} to disk ({}); a power cut now could lose the update",
          root.root(),
          e.getMessage());
    }
  }

  private List<TriggerResult> start(TriggerPlan triggers, List<String> stopped, boolean succeeded) {
    List<TriggerResult> results = new ArrayList<>();
    for (TriggerPlan.Start s : triggers.starts()) {
      // After a failure the tree is part old, part new: start what was stopped, reload nothing.
      if (succeeded || stopped.contains(s.service())) {
        results.add(services.run(s.service(), succeeded ? s.action() : "start"));
      }
    }
    return results;
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
            walk.limit(MAX_TRIGGER_PATHS)
                .filter(p -> !p.equals(top))
                .forEach(p -> paths.add(delete + "/" + top.relativize(p)));
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
        throw new MissingObjectException(r.hash());
      }
    }
  }

  private void copyToCache(UpdatePlan plan) throws IOException {
    for (UpdatePlan.Copy c : plan.copies()) {
      if (cache.has(c.hash())) {
        continue;
      }
      Path path = root.resolve(c.path());
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        writer.addToCache(in, c.hash());
      } catch (IOException e) {
        throw new IOException("copy " + c.path() + " into the cache: " + e.getMessage(), e);
      }
    }
  }

  private void applyChanges(
      UpdatePlan plan,
      Preparer preparer,
      NewDirectories newDirectories,
      Trash trash,
      List<String> linkTemps,
      MetadataChanges metadata)
      throws IOException {
    long t0 = System.nanoTime();
    // makeDirectory never removes a directory, so a parent checked once stays checked.
    java.util.Set<String> verified = new java.util.HashSet<>();
    for (UpdatePlan.PathInode d : plan.directories()) {
      if (!newDirectories.install(d.path()) && !newDirectories.isBuilt(d.path())) {
        makeDirectory(d, verified);
      }
    }
    long t1 = System.nanoTime();
    preparer.prepareRest();
    long t2 = System.nanoTime();
    preparer.install();
    long t3 = System.nanoTime();
    for (int i = 0; i < plan.links().size(); i++) {
      link(plan.links().get(i), linkTemps.get(i), preparer);
    }
    // Deletes only remove: a parent checked once is a real directory or, if a delete removed it,
    // gone (whatever was below it then resolves to nothing, and deleting nothing is a no-op).
    java.util.Set<String> checked = new java.util.HashSet<>();
    for (String delete : plan.deletes()) {
      Path path = root.resolve(delete, checked);
      if (trash != null) {
        trash.delete(path, root);
      } else {
        root.deleteTree(path);
      }
    }
    long t4 = System.nanoTime();
    for (UpdatePlan.PathInode m : plan.metadata()) {
      metadata.apply(m);
    }
    long t5 = System.nanoTime();
    log.info(
        "window steps: {} directories ({} built before, {} renamed in) {} ms, late prepares"
            + " {} ms, {} inodes ({} with their directory) {} ms, {} links and {} deletes {} ms,"
            + " {} metadata changes {} ms",
        plan.directories().size(),
        newDirectories.count(),
        newDirectories.topCount(),
        ms(t1 - t0),
        ms(t2 - t1),
        plan.inodes().size(),
        preparer.inNewDirectories(),
        ms(t3 - t2),
        plan.links().size(),
        plan.deletes().size(),
        ms(t4 - t3),
        plan.metadata().size(),
        ms(t5 - t4));
  }

  private void makeDirectory(UpdatePlan.PathInode d, java.util.Set<String> verified)
      throws IOException {
    Path path = root.resolve(d.path(), verified);
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

  private void link(HardLink l, String temp, Preparer preparer) throws IOException {
    Path path = root.resolve(l.path());
    Path target = root.resolve(l.target());
    Posix.Stat want = Posix.lstat(target);
    if (want.isDirectory()) {
      throw new IOException(
          "hard link " + l.path() + " to " + l.target() + ": the target is a directory");
    }
    Posix.Stat have = root.stat(path);
    if (have != null && have.dev() == want.dev() && have.ino() == want.ino()) {
      return;
    }
    Path tempPath = root.resolve(temp);
    Files.deleteIfExists(tempPath);
    Files.createLink(tempPath, target);
    preparer.replace(tempPath, path);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  static String tempPath(String path, String id, String suffix) {
    return TreePaths.join(TreePaths.parent(path), Journal.TEMP_PREFIX + id + "-" + suffix);
  }
}
