package dominion.proto.subd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.fs.DirectoryInode;
import dominion.core.fs.FileTree;
import dominion.core.fs.FileType;
import dominion.core.fs.Inode;
import dominion.core.fs.RegularInode;
import dominion.core.fs.SpecialInode;
import dominion.core.fs.SymlinkInode;
import dominion.core.hash.Hash;
import dominion.core.image.Trigger;
import dominion.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubdWireTest {
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final Hash H1 = Hash.of("one".getBytes(StandardCharsets.UTF_8));
  private static final Hash H2 = Hash.of("two".getBytes(StandardCharsets.UTF_8));

  private static <T> void roundTrip(T value) throws IOException {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) value.getClass();
    byte[] json = MAPPER.writeValueAsBytes(value);
    assertEquals(value, MAPPER.readValue(json, type), new String(json, StandardCharsets.UTF_8));
  }

  private static SubdConfig config() {
    return new SubdConfig(2, 1, 10, List.of("/tmp/.*", "/var/log/.*"));
  }

  private static SubdStatus status() {
    return new SubdStatus(
        7,
        12,
        1_700_000_000_000L,
        350,
        "web/prod/1",
        true,
        false,
        "fetch x: boom",
        null,
        12,
        1_700_000_000_500L,
        1_700_000_000_400L,
        1L << 40,
        33,
        1 << 20,
        config(),
        List.of(
            new TriggerResult("sshd", "stop", 0, "ok"),
            new TriggerResult("nginx", "reload", 3, null)),
        1_690_000_000_000L);
  }

  private static InodeSpec fileSpec() {
    return InodeSpec.of(new RegularInode(0100755, 0, 0, 123_456_789L, 4, H1, "0100000201"));
  }

  @Test
  void everyRecordRoundTrips() throws IOException {
    roundTrip(new PollRequest(5, true));
    roundTrip(new PollResponse(7, true, status()));
    roundTrip(
        new PollResponse(7, true, status(), List.of(Trigger.of("sshd", List.of("/etc/ssh/.*")))));
    roundTrip(status());
    roundTrip(new TriggerResult("sshd", "start", 0, "started"));
    roundTrip(config());
    roundTrip(new FetchRequest("127.0.0.1:6971", List.of(H1.hex(), H2.hex()), 50));
    roundTrip(new FetchResponse());
    roundTrip(
        new UpdateRequest(
            "web/2",
            false,
            List.of(new DirectoryToMake("/etc", 0755, 0, 0)),
            List.of(
                new InodeToMake("/etc/passwd", fileSpec()),
                new InodeToMake("/lnk", InodeSpec.of(SymlinkInode.of(1, 2, 3, "target")))),
            List.of(new CopyToCache("/bin/sh", H2.hex())),
            List.of(new HardLink("/bin/sh2", "/bin/sh")),
            List.of("/old"),
            List.of(new MetadataChange("/etc", InodeSpec.of(DirectoryInode.of(0700, 1, 1, 0)))),
            List.of(new Trigger(List.of("/etc/ssh/.*"), "sshd", true, false, true, "a"))));
    roundTrip(new UpdateResponse());
    roundTrip(new DirectoryToMake("/d", 0040755, 3, 4));
    roundTrip(new InodeToMake("/f", fileSpec()));
    roundTrip(new CopyToCache("/f", H1.hex()));
    roundTrip(new HardLink("/a", "/b"));
    roundTrip(new MetadataChange("/f", fileSpec()));
    roundTrip(new CleanupRequest(List.of(H1.hex())));
    roundTrip(new CleanupResponse());
    roundTrip(new GetFilesRequest(List.of("/etc/passwd")));
    roundTrip(new GetConfigurationRequest());
    roundTrip(new SetConfigurationRequest(config()));
    roundTrip(new SetConfigurationResponse());
    roundTrip(fileSpec());
  }

  @Test
  void unknownFieldsAreIgnored() throws IOException {
    PollRequest poll =
        MAPPER.readValue(
            "{\"haveGeneration\":3,\"shortOnly\":true,\"futureField\":{\"x\":[1]}}",
            PollRequest.class);
    assertEquals(new PollRequest(3, true), poll);
    FetchResponse fetch = MAPPER.readValue("{\"queued\":4}", FetchResponse.class);
    assertEquals(new FetchResponse(), fetch);
    SubdConfig config =
        MAPPER.readValue(
            "{\"scanSpeedPercent\":5,\"newLimit\":9,\"scanExclusions\":[\"/x/.*\"]}",
            SubdConfig.class);
    assertEquals(new SubdConfig(5, 0, 0, List.of("/x/.*")), config);
  }

  @Test
  void nullListsReadAsEmpty() throws IOException {
    UpdateRequest update = MAPPER.readValue("{\"imageName\":\"a/b\"}", UpdateRequest.class);
    assertEquals(List.of(), update.inodesToMake());
    assertEquals(List.of(), update.pathsToDelete());
    assertEquals(List.of(), update.triggers());
    assertNull(MAPPER.readValue("{}", SubdConfig.class).scanExclusions());
  }

  @Test
  void triggersKeepDominatorFieldNames() throws IOException {
    UpdateRequest update =
        new UpdateRequest(
            "i",
            true,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(Trigger.of("sshd", List.of("/etc/ssh/.*"))));
    String json = MAPPER.writeValueAsString(update);
    assertTrue(json.contains("\"MatchLines\":[\"/etc/ssh/.*\"]"), json);
    assertTrue(json.contains("\"Service\":\"sshd\""), json);
  }

  @Test
  void inodeSpecConvertsEveryKind() {
    List<Inode> inodes =
        List.of(
            DirectoryInode.of(0755, 1, 2, 3),
            new RegularInode(0100644, 1, 2, 3, 4, H1, null),
            new RegularInode(0100755, 0, 0, 9, 4, H2, "01000002"),
            SymlinkInode.of(1, 2, 3, "../x"),
            new SpecialInode(
                FileType.CHAR_DEVICE.bits() | 0666, 0, 0, 5, SpecialInode.makeDev(1, 3)),
            new SpecialInode(
                FileType.BLOCK_DEVICE.bits() | 0660, 0, 6, 5, SpecialInode.makeDev(8, 1)),
            new SpecialInode(FileType.FIFO.bits() | 0600, 0, 0, 5, 0));
    for (Inode inode : inodes) {
      assertEquals(inode, InodeSpec.of(inode).toInode());
    }
  }

  @Test
  void inodeSpecMissingHashIsRefused() {
    InodeSpec bad = new InodeSpec(0100644, 0, 0, 0, 4L, null, null, null, null);
    assertThrows(IllegalArgumentException.class, bad::toInode);
    InodeSpec noTarget = new InodeSpec(0120777, 0, 0, 0, null, null, null, null, null);
    assertThrows(IllegalArgumentException.class, noTarget::toInode);
  }

  @Test
  void pollFramingRoundTripsWithTree() throws IOException {
    FileTree tree =
        new FileTree.Builder()
            .add("/", 1, DirectoryInode.of(0755, 0, 0, 0))
            .add("/a", 2, RegularInode.of(0644, 0, 0, 5, 3, H1))
            .add("/b", 2, RegularInode.of(0644, 0, 0, 5, 3, H1))
            .add("/l", 3, SymlinkInode.of(0, 0, 0, "a"))
            .build();
    PollResponse head = new PollResponse(7, true, status());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PollFraming.write(out, MAPPER, head, tree, List.of(H1, H2));
    PollResult result = PollFraming.read(new ByteArrayInputStream(out.toByteArray()), MAPPER);
    assertEquals(head, result.response());
    assertEquals(tree, result.tree());
    assertEquals(Set.of(H1, H2), result.cachedObjects());
  }

  @Test
  void pollFramingShortReply() throws IOException {
    PollResponse head = new PollResponse(7, false, status());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PollFraming.write(out, MAPPER, head, null, null);
    PollResult result = PollFraming.read(new ByteArrayInputStream(out.toByteArray()), MAPPER);
    assertEquals(head, result.response());
    assertNull(result.tree());
    assertNull(result.cachedObjects());
  }

  @Test
  void truncatedPollIsAnError() throws IOException {
    FileTree tree = FileTree.empty(DirectoryInode.of(0755, 0, 0, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PollFraming.write(out, MAPPER, new PollResponse(1, true, status()), tree, List.of(H1));
    byte[] all = out.toByteArray();
    byte[] cut = Arrays.copyOf(all, all.length - 10);
    assertThrows(IOException.class, () -> PollFraming.read(new ByteArrayInputStream(cut), MAPPER));
  }
}
