package dominion.proto.dominator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import dominion.proto.subd.SubdConfig;
import dominion.proto.subd.SubdStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DominatorWireTest {
  private static final ObjectMapper MAPPER = Json.mapper();

  private static <T> void roundTrip(T value) throws IOException {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) value.getClass();
    byte[] json = MAPPER.writeValueAsBytes(value);
    assertEquals(value, MAPPER.readValue(json, type), new String(json, StandardCharsets.UTF_8));
  }

  private static SubInfo sub() {
    return new SubInfo(
        "web1",
        "127.0.0.2:6969",
        "synced",
        1,
        "web/1",
        "web/2",
        "web/1",
        false,
        4,
        2,
        3,
        5,
        6,
        0,
        "fetched",
        null,
        "3 objects");
  }

  @Test
  void everyRecordRoundTrips() throws IOException {
    UpdatesControl control = new UpdatesControl(true, "maintenance", "alice@1.2.3.4", 9);
    roundTrip(sub());
    roundTrip(control);
    roundTrip(new ListSubsRequest("synced"));
    roundTrip(new ListSubsRequest(null));
    roundTrip(new ListSubsResponse(List.of(sub()), Map.of("synced", 1), 1, control, "bad MDB"));
    roundTrip(new ShowSubRequest("web1"));
    SubdStatus status =
        new SubdStatus(
            4,
            5,
            6,
            7,
            "web/1",
            false,
            false,
            null,
            null,
            1,
            2,
            9,
            3,
            4,
            5,
            new SubdConfig(2, 1, 10, List.of()),
            List.of(),
            8);
    roundTrip(
        new ShowSubResponse(
            sub(), status, 2, 3, List.of("sshd"), true, List.of("2026-01-01T00:00:00Z synced")));
    roundTrip(new ShowSubResponse(sub(), null, 0, 0, null, false, null));
    roundTrip(new DisableUpdatesRequest("why"));
    roundTrip(new DisableUpdatesResponse(control));
    roundTrip(new EnableUpdatesRequest("why"));
    roundTrip(new EnableUpdatesResponse(control));
    roundTrip(new ClearSafetyShutoffRequest("web1"));
    roundTrip(new ClearSafetyShutoffResponse("web/2"));
  }

  @Test
  void unknownFieldsAreIgnored() throws IOException {
    ListSubsRequest r =
        MAPPER.readValue("{\"status\":\"synced\",\"future\":1}", ListSubsRequest.class);
    assertEquals("synced", r.status());
    SubInfo s = MAPPER.readValue("{\"hostname\":\"a\",\"newField\":[1,2]}", SubInfo.class);
    assertEquals("a", s.hostname());
  }

  @Test
  void missingListsReadAsEmpty() throws IOException {
    ListSubsResponse r = MAPPER.readValue("{\"total\":0}", ListSubsResponse.class);
    assertTrue(r.subs().isEmpty());
    assertTrue(r.counts().isEmpty());
  }

  @Test
  void everyStateNameIsLowerCaseWithDashes() {
    for (String s : SubStates.ALL) {
      assertTrue(s.matches("[a-z]+(-[a-z]+)*"), s);
    }
  }
}
