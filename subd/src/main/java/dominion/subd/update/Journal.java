package dominion.subd.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import dominion.subd.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a restart must undo if subd dies in the middle of an update: the temporary names the update
 * may have created, and the services it stopped (and must start again). Written before the first
 * temporary file and again before the first stop; removed when the update ends.
 *
 * @param id the update's id, part of every temporary name
 * @param temps tree paths of temporary names
 * @param stopped services stopped (or about to be)
 * @param toStart what the update would start at its end, in order
 */
public record Journal(
    String id, List<String> temps, List<String> stopped, List<TriggerPlan.Start> toStart) {
  private static final ObjectMapper MAPPER = Json.mapper();

  public Journal {
    temps = temps == null ? List.of() : List.copyOf(temps);
    stopped = stopped == null ? List.of() : List.copyOf(stopped);
    toStart = toStart == null ? List.of() : List.copyOf(toStart);
  }

  /** Prefix of every temporary name an update makes. */
  public static final String TEMP_PREFIX = ".subd-";

  public void write(Path file) throws IOException {
    StateDir.writeAtomically(file, MAPPER.writeValueAsBytes(this));
  }

  /** The journal left by an update that did not end, or null. */
  public static Journal read(Path file) throws IOException {
    try {
      return MAPPER.readValue(Files.readAllBytes(file), Journal.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
