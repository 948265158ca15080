package dominion.dominator.diff;

import static dominion.dominator.diff.Trees.MTIME;
import static dominion.dominator.diff.Trees.file;
import static dominion.dominator.diff.Trees.hash;
import static dominion.dominator.diff.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import dominion.core.image.Filter;
import dominion.core.image.Image;
import dominion.core.image.ImageMetadata;
import dominion.core.image.Trigger;
import dominion.core.image.Triggers;
import dominion.proto.subd.CopyToCache;
import dominion.proto.subd.DirectoryToMake;
import dominion.proto.subd.HardLink;
import dominion.proto.subd.InodeToMake;
import dominion.proto.subd.MetadataChange;
import dominion.proto.subd.UpdateRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One behaviour per test, with the smallest trees that show it. */
class DifferTest {
  private static final ImageMetadata META = new ImageMetadata("test", 0, 0, null, null);

  private static Image image(FileTree tree) {
    return new Image(tree, Filter.EMPTY, Triggers.NONE, META);
  }

  private static Image sparse(FileTree tree) {
    return new Image(tree, null, Triggers.NONE, META);
  }

  private static Image filtered(FileTree tree, String... lines) {
    return new Image(tree, Filter.parse(List.of(lines)), Triggers.NONE, META);
  }

  private static Diff diff(FileTree sub, Image image) {
    return diff(sub, Set.of(), image);
  }

  private static Diff diff(FileTree sub, Set<Hash> cache, Image image) {
    return Differ.compute(new Differ.Input(sub, cache, image, "img/1", null));
  }

  private static List<String> paths(List<InodeToMake> made) {
    return made.stream().map(InodeToMake::path).toList();
  }

  @Test
  void identicalTreesAreCompliant() {
    FileTree t = tree().dir("/etc").file("/etc/motd", "hi").symlink("/l", "etc").build();
    Diff d = diff(t, image(t));
    assertTrue(d.compliant());
    assertEquals(List.of(), d.objectsToFetch());
  }

  @Test
  void aMissingFileIsMadeAndItsObjectFetched() {
    Diff d = diff(tree().build(), image(tree().file("/motd", "hi").build()));
    assertEquals(List.of("/motd"), paths(d.update().inodesToMake()));
    assertEquals(List.of(hash("hi")), d.objectsToFetch());
    assertEquals(2, d.bytesToFetch());
  }

  @Test
  void anObjectInTheSubsCacheIsNotFetched() {
    Diff d = diff(tree().build(), Set.of(hash("hi")), image(tree().file("/motd", "hi").build()));
    assertEquals(List.of(), d.objectsToFetch());
    assertEquals(List.of(), d.update().filesToCopyToCache());
    assertEquals(List.of("/motd"), paths(d.update().inodesToMake()));
  }

  @Test
  void contentElsewhereInTheSubsTreeIsCopiedToTheCacheNotFetched() {
    FileTree sub = tree().file("/old", "hi").build();
    Diff d = diff(sub, sparse(tree().file("/new", "hi").build()));
    assertEquals(List.of(), d.objectsToFetch());
    assertEquals(
        List.of(new CopyToCache("/old", hash("hi").hex())), d.update().filesToCopyToCache());
  }

  @Test
  void anObjectNeededTwiceIsFetchedOnce() {
    Diff d = diff(tree().build(), image(tree().file("/a", "x").file("/b", "x").build()));
    assertEquals(List.of(hash("x")), d.objectsToFetch());
    assertEquals(1, d.bytesToFetch());
  }

  @Test
  void changedContentIsMadeAnew() {
    Diff d = diff(tree().file("/motd", "old").build(), image(tree().file("/motd", "new").build()));
    assertEquals(List.of("/motd"), paths(d.update().inodesToMake()));
    assertEquals(hash("new").hex(), d.update().inodesToMake().get(0).inode().hash());
  }

  @Test
  void aModeChangeIsOnlyAMetadataChange() {
    FileTree sub = tree().file("/f", "x").build();
    FileTree want = tree().add("/f", RegularInode.of(0600, 0, 0, MTIME, 1, hash("x"))).build();
    Diff d = diff(sub, image(want));
    assertEquals(List.of(), d.update().inodesToMake());
    assertEquals("/f", d.update().metadataChanges().get(0).path());
    assertEquals(0100600, d.update().metadataChanges().get(0).inode().mode());
    assertEquals(List.of(), d.objectsToFetch());
  }

  @Test
  void anOwnerChangeIsOnlyAMetadataChange() {
    FileTree sub = tree().file("/f", "x").build();
    FileTree want = tree().add("/f", RegularInode.of(0644, 7, 8, MTIME, 1, hash("x"))).build();
    assertEquals(1, diff(sub, image(want)).update().metadataChanges().size());
  }

  @Test
  void anMtimeChangeOfAFileIsAMetadataChange() {
    FileTree sub = tree().file("/f", "x").build();
    FileTree want = tree().add("/f", RegularInode.of(0644, 0, 0, MTIME + 1, 1, hash("x"))).build();
    assertEquals(1, diff(sub, image(want)).update().metadataChanges().size());
  }

  @Test
  void aCapabilityChangeIsAMetadataChange() {
    FileTree sub = tree().file("/ping", "x").build();
    FileTree want =
        tree()
            .add("/ping", new RegularInode(0100644, 0, 0, MTIME, 1, hash("x"), "0100000200200000"))
            .build();
    MetadataChange c = diff(sub, image(want)).update().metadataChanges().get(0);
    assertEquals("0100000200200000", c.inode().capability());
  }

  @Test
  void aDirectorysMtimeIsIgnored() {
    FileTree sub = tree().add("/d", dominion.core.fs.DirectoryInode.of(0755, 0, 0, 5)).build();
    assertTrue(diff(sub, image(tree().dir("/d").build())).compliant());
  }

  @Test
  void aDirectorysModeChangeIsAMetadataChange() {
    FileTree sub = tree().dir("/d").build();
    Diff d = diff(sub, image(tree().dir("/d", 0700, 0, 0).build()));
    assertEquals(
        List.of("/d"), d.update().metadataChanges().stream().map(MetadataChange::path).toList());
    assertEquals(List.of(), d.update().directoriesToMake());
  }

  @Test
  void theRootsMetadataIsManagedToo() {
    FileTree want = Trees.treeWithRootMode(0700).build();
    Diff d = diff(tree().build(), image(want));
    assertEquals("/", d.update().metadataChanges().get(0).path());
  }

  @Test
  void missingDirectoriesAreMadeParentsFirst() {
    Diff d = diff(tree().build(), image(tree().dir("/a").dir("/a/b", 0700, 1, 2).build()));
    assertEquals(
        List.of(new DirectoryToMake("/a", 040755, 0, 0), new DirectoryToMake("/a/b", 040700, 1, 2)),
        d.update().directoriesToMake());
  }

  @Test
  void anExtraFileIsDeleted() {
    Diff d = diff(tree().file("/junk", "x").build(), image(tree().build()));
    assertEquals(List.of("/junk"), d.update().pathsToDelete());
  }

  @Test
  void anExtraDirectoryIsDeletedOnceWithItsSubtree() {
    FileTree sub = tree().dir("/d").dir("/d/e").file("/d/e/f", "x").file("/d/g", "y").build();
    Diff d = diff(sub, image(tree().build()));
    assertEquals(List.of("/d"), d.update().pathsToDelete());
    assertEquals(2, d.filesRemoved());
  }

  @Test
  void aSparseImageNeverDeletes() {
    Diff d = diff(tree().file("/mine", "x").build(), sparse(tree().file("/its", "y").build()));
    assertEquals(List.of(), d.update().pathsToDelete());
    assertTrue(d.update().sparse());
  }

  @Test
  void aSparseImageThatMatchesIsCompliantWhateverElseIsThere() {
    FileTree sub = tree().file("/its", "y").file("/mine", "x").build();
    assertTrue(diff(sub, sparse(tree().file("/its", "y").build())).compliant());
  }

  @Test
  void pathsTheFilterMatchesAreNotDeleted() {
    FileTree sub = tree().dir("/var").dir("/var/log").file("/var/log/syslog", "x").build();
    FileTree want = tree().dir("/var").dir("/var/log").build();
    assertTrue(diff(sub, filtered(want, "/var/log/.*")).compliant());
  }

  @Test
  void aFilteredDirectoryExcludesItsWholeSubtree() {
    FileTree sub = tree().dir("/tmp").dir("/tmp/a").file("/tmp/a/b", "x").build();
    assertTrue(diff(sub, filtered(tree().build(), "/tmp$")).compliant());
  }

  @Test
  void pathsTheFilterMatchesAreNotMadeEither() {
    FileTree want = tree().dir("/var").file("/var/cache", "x").build();
    Diff d = diff(tree().dir("/var").build(), filtered(want, "/var/cache"));
    assertTrue(d.compliant());
  }

  @Test
  void theSubsScanExclusionsAreNotManaged() {
    FileTree sub = tree().dir("/data").build();
    FileTree want = tree().dir("/data").file("/data/x", "x").build();
    Diff d =
        Differ.compute(
            new Differ.Input(
                sub, Set.of(), image(want), "img/1", Filter.parse(List.of("/data/.*"))));
    assertTrue(d.compliant());
  }

  @Test
  void aSymlinksNewTargetRemakesIt() {
    Diff d = diff(tree().symlink("/l", "a").build(), image(tree().symlink("/l", "b").build()));
    assertEquals("b", d.update().inodesToMake().get(0).inode().target());
  }

  @Test
  void aSymlinksOwnerChangeIsAMetadataChange() {
    FileTree want = tree().add("/l", SymlinkInode.of(3, 3, MTIME, "a")).build();
    Diff d = diff(tree().symlink("/l", "a").build(), image(want));
    assertEquals(List.of(), d.update().inodesToMake());
    assertEquals(1, d.update().metadataChanges().size());
  }

  @Test
  void aSymlinksMtimeIsIgnored() {
    FileTree sub = tree().add("/l", SymlinkInode.of(0, 0, 42, "a")).build();
    assertTrue(diff(sub, image(tree().symlink("/l", "a").build())).compliant());
  }

  @Test
  void aDevicesNewNumberRemakesIt() {
    Diff d =
        diff(
            tree().device("/null", SpecialInode.makeDev(1, 3)).build(),
            image(tree().device("/null", SpecialInode.makeDev(1, 5)).build()));
    assertEquals(SpecialInode.makeDev(1, 5), d.update().inodesToMake().get(0).inode().rdev());
  }

  @Test
  void aDevicesModeChangeIsAMetadataChange() {
    FileTree want =
        tree()
            .add("/null", new SpecialInode(FileType.CHAR_DEVICE.bits() | 0666, 0, 0, MTIME, 7))
            .build();
    Diff d = diff(tree().device("/null", 7).build(), image(want));
    assertEquals(1, d.update().metadataChanges().size());
    assertEquals(List.of(), d.update().inodesToMake());
  }

  @Test
  void aFileWhereADirectoryMustBeIsReplaced() {
    FileTree want = tree().dir("/a").file("/a/b", "x").build();
    Diff d = diff(tree().file("/a", "x").build(), image(want));
    assertEquals("/a", d.update().directoriesToMake().get(0).path());
    assertEquals(List.of("/a/b"), paths(d.update().inodesToMake()));
    assertEquals(List.of(), d.update().pathsToDelete());
  }

  @Test
  void aDirectoryWhereAFileMustBeIsReplacedWithItsSubtree() {
    FileTree sub = tree().dir("/a").file("/a/b", "y").build();
    Diff d = diff(sub, image(tree().file("/a", "x").build()));
    assertEquals(List.of("/a"), paths(d.update().inodesToMake()));
    assertEquals(List.of(), d.update().pathsToDelete());
    assertEquals(1, d.filesRemoved());
  }

  @Test
  void hardLinksAreMadeFromTheFirstPath() {
    Trees want = tree();
    long inum = want.nextInum();
    RegularInode f = file("x");
    want.add("/a", f).link("/b", inum, f);
    Diff d = diff(tree().build(), image(want.build()));
    assertEquals(List.of("/a"), paths(d.update().inodesToMake()));
    assertEquals(List.of(new HardLink("/b", "/a")), d.update().hardLinksToMake());
  }

  @Test
  void presentHardLinksAreCompliant() {
    Trees t = tree();
    long inum = t.nextInum();
    RegularInode f = file("x");
    t.add("/a", f).link("/b", inum, f);
    FileTree tree = t.build();
    assertTrue(diff(tree, image(tree)).compliant());
  }

  @Test
  void aCopyWhereALinkMustBeIsRelinked() {
    Trees want = tree();
    long inum = want.nextInum();
    RegularInode f = file("x");
    want.add("/a", f).link("/b", inum, f);
    Diff d = diff(tree().file("/a", "x").file("/b", "x").build(), image(want.build()));
    assertEquals(List.of(), d.update().inodesToMake());
    assertEquals(List.of(new HardLink("/b", "/a")), d.update().hardLinksToMake());
  }

  @Test
  void aLinkWhereSeparateFilesMustBeIsSplit() {
    Trees sub = tree();
    long inum = sub.nextInum();
    RegularInode f = file("x");
    sub.add("/a", f).link("/b", inum, f);
    Diff d = diff(sub.build(), image(tree().file("/a", "x").file("/b", "x").build()));
    assertEquals(List.of("/a", "/b"), paths(d.update().inodesToMake()));
    assertEquals(List.of(), d.objectsToFetch());
    assertEquals(1, d.update().filesToCopyToCache().size());
  }

  @Test
  void aLinkToADeletedPathMayStay() {
    Trees sub = tree();
    long inum = sub.nextInum();
    RegularInode f = file("x");
    sub.add("/a", f).link("/old", inum, f);
    Diff d = diff(sub.build(), image(tree().file("/a", "x").build()));
    assertEquals(List.of(), d.update().inodesToMake());
    assertEquals(List.of("/old"), d.update().pathsToDelete());
  }

  @Test
  void firedTriggersAreThoseMatchingChangedPaths() {
    Trigger ssh = new Trigger(List.of("/etc/ssh/.*"), "sshd", false, false, true, "");
    Trigger web = Trigger.of("nginx", List.of("/etc/nginx/.*"));
    FileTree want =
        tree()
            .dir("/etc")
            .dir("/etc/ssh")
            .file("/etc/ssh/sshd_config", "new")
            .dir("/etc/nginx")
            .file("/etc/nginx/nginx.conf", "same")
            .build();
    FileTree sub =
        tree()
            .dir("/etc")
            .dir("/etc/ssh")
            .file("/etc/ssh/sshd_config", "old")
            .dir("/etc/nginx")
            .file("/etc/nginx/nginx.conf", "same")
            .build();
    Image img = new Image(want, Filter.EMPTY, Triggers.of(List.of(ssh, web)), META);
    Diff d = diff(sub, img);
    assertEquals(List.of(ssh), d.firedTriggers());
    assertTrue(d.highImpact());
    assertEquals(List.of(ssh, web), d.update().triggers());
  }

  private static Diff diffAfter(List<Trigger> previous, FileTree sub, Image image) {
    return Differ.compute(new Differ.Input(sub, Set.of(), image, "img/2", null, previous));
  }

  private static Trigger highImpact(String service, String line) {
    return new Trigger(List.of(line), service, false, false, true, "");
  }

  private static Trigger reboot(String service, String line) {
    return new Trigger(List.of(line), service, false, true, false, "");
  }

  @Test
  void thePreviousImagesTriggersFireTooAsSubdStopsTheirServices() {
    // The old image ran "legacy" from /etc/legacy.conf; the new one drops both.
    Trigger legacy = Trigger.of("legacy", List.of("/etc/legacy\\.conf"));
    FileTree sub = tree().dir("/etc").file("/etc/legacy.conf", "x").build();
    Image next = image(tree().dir("/etc").build());
    assertEquals(List.of(), diff(sub, next).firedTriggers());
    assertEquals(List.of(legacy), diffAfter(List.of(legacy), sub, next).firedTriggers());
  }

  @Test
  void aHighImpactTriggerOfThePreviousImageMakesTheUpdateHighImpact() {
    Trigger db = highImpact("db", "/etc/db/.*");
    FileTree sub = tree().dir("/etc").dir("/etc/db").file("/etc/db/db.conf", "old").build();
    // The new image changes db.conf but no longer marks db as HighImpact.
    Image next =
        new Image(
            tree().dir("/etc").dir("/etc/db").file("/etc/db/db.conf", "new").build(),
            Filter.EMPTY,
            Triggers.of(List.of(Trigger.of("db", List.of("/etc/db/.*")))),
            META);
    assertFalse(diff(sub, next).highImpact());
    assertTrue(diffAfter(List.of(db), sub, next).highImpact());
  }

  @Test
  void onlyTheNewImagesRebootTriggersMakeAnUpdateHighImpact() {
    // subd reboots for a matched DoReboot trigger of the new image only.
    FileTree sub = tree().dir("/boot").file("/boot/vmlinuz", "old").build();
    FileTree want = tree().dir("/boot").file("/boot/vmlinuz", "new").build();
    Trigger kernel = reboot("kernel", "/boot/.*");
    assertFalse(diffAfter(List.of(kernel), sub, image(want)).highImpact());
    Image rebooting = new Image(want, Filter.EMPTY, Triggers.of(List.of(kernel)), META);
    assertTrue(diffAfter(List.of(), sub, rebooting).highImpact());
  }

  @Test
  void aTriggerBothImagesHaveFiresOnce() {
    Trigger web = Trigger.of("nginx", List.of("/etc/nginx/.*"));
    FileTree sub = tree().dir("/etc").dir("/etc/nginx").file("/etc/nginx/a", "old").build();
    Image next =
        new Image(
            tree().dir("/etc").dir("/etc/nginx").file("/etc/nginx/a", "new").build(),
            Filter.EMPTY,
            Triggers.of(List.of(web)),
            META);
    assertEquals(List.of(web), diffAfter(List.of(web), sub, next).firedTriggers());
  }

  @Test
  void triggersMatchPathsBelowADeletedDirectory() {
    // Deleting /opt/app removes /opt/app/bin/app too, and subd matches triggers against both.
    Trigger app = highImpact("app", "/opt/app/bin/.*");
    FileTree sub =
        tree()
            .dir("/opt")
            .dir("/opt/app")
            .dir("/opt/app/bin")
            .file("/opt/app/bin/app", "x")
            .build();
    Diff d = diffAfter(List.of(app), sub, image(tree().dir("/opt").build()));
    assertEquals(List.of("/opt/app"), d.update().pathsToDelete());
    assertEquals(List.of(app), d.firedTriggers());
    assertTrue(d.highImpact());
  }

  @Test
  void theUpdateNamesTheImage() {
    UpdateRequest u = diff(tree().build(), image(tree().file("/f", "x").build())).update();
    assertEquals("img/1", u.imageName());
    assertFalse(u.sparse());
  }

  @Test
  void countsTheSubsFilesAndTheOnesRemoved() {
    FileTree sub = tree().file("/a", "1").file("/b", "2").file("/c", "3").build();
    Diff d = diff(sub, image(tree().file("/a", "1").build()));
    assertEquals(3, d.subFiles());
    assertEquals(2, d.filesRemoved());
  }

  @Test
  void anImageInodeReplacesTheSubsOfAnotherKind() {
    Diff d = diff(tree().symlink("/x", "y").build(), image(tree().file("/x", "z").build()));
    assertEquals(List.of("/x"), paths(d.update().inodesToMake()));
    assertNotNull(d.update().inodesToMake().get(0).inode().hash());
    assertNull(d.update().inodesToMake().get(0).inode().target());
  }

  @Test
  void aDirectoryHoldingFilteredFilesIsKeptButItsOtherFilesGo() {
    FileTree sub =
        tree()
            .dir("/etc")
            .dir("/etc/local")
            .file("/etc/local/site.conf", "x")
            .file("/etc/junk", "y")
            .build();
    Diff d = diff(sub, filtered(tree().build(), "/etc/local/.*"));
    assertEquals(List.of("/etc/junk"), d.update().pathsToDelete());
  }

  @Test
  void aDirectoryTheScanExclusionsNameIsNotDeleted() {
    FileTree sub = tree().dir("/home").dir("/old").build();
    Diff d =
        Differ.compute(
            new Differ.Input(
                sub, Set.of(), image(tree().build()), "img/1", Filter.parse(List.of("/home/.*"))));
    assertEquals(List.of("/old"), d.update().pathsToDelete());
  }

  @Test
  void aDirectoryTheFilterNamesIsKeptEvenWhenEmpty() {
    FileTree sub = tree().dir("/var").dir("/var/cache").build();
    assertTrue(diff(sub, filtered(tree().build(), "/var/cache/.*")).compliant());
  }

  @Test
  void literalPrefixesStopAtThePattern() {
    assertEquals("/home/", KeptDirectories.literalPrefix("/home/.*"));
    assertEquals("/var/lo", KeptDirectories.literalPrefix("/var/log?"));
    assertEquals("", KeptDirectories.literalPrefix("/a|/b"));
    assertEquals("/a.b/", KeptDirectories.literalPrefix("/a\\.b/.*"));
  }
}
