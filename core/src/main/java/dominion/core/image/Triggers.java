package dominion.core.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dominion.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The triggers of an image: which services an update must stop and start, given the paths it
 * changes. The file form is a JSON array of {@link Trigger}s (Dominator's format).
 *
 * <p>Matching results are ordered by {@link Trigger#sortName()} then {@link Trigger#service()}
 * (string order; an empty sort name sorts first), ties kept in file order. subd starts services in
 * that order and stops them in reverse. Triggers that share a service are all returned; callers
 * that act per service de-duplicate.
 *
 * <p>Immutable and thread-safe. Equality is on {@link #list()}.
 */
public final class Triggers {
  private static final Comparator<Trigger> ORDER =
      Comparator.comparing(Trigger::sortName).thenComparing(Trigger::service);
  private static final TypeReference<List<Trigger>> LIST = new TypeReference<>() {};
  // Readers and writers are immutable, so sharing them is not shared mutable state.
  private static final ObjectReader READER = Json.mapper().readerFor(LIST);
  private static final ObjectWriter WRITER =
      Json.mapper().writerFor(LIST).with(SerializationFeature.INDENT_OUTPUT);

  // After ORDER, which the constructor uses.
  /** No triggers: an update restarts nothing. */
  public static final Triggers NONE = new Triggers(List.of());

  private final List<Trigger> triggers;
  // Parallel to triggers, sorted by ORDER: what matching walks.
  private final List<Trigger> sorted;
  private final List<Filter> sortedFilters;

  private Triggers(List<Trigger> triggers) {
    this.triggers = List.copyOf(triggers);
    this.sorted = this.triggers.stream().sorted(ORDER).toList();
    this.sortedFilters = sorted.stream().map(Trigger::matchFilter).toList();
  }

  /**
   * Wraps a list of triggers (kept in the given order).
   *
   * @throws NullPointerException if the list or an element is null
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Triggers of(List<Trigger> triggers) {
    return triggers.isEmpty() ? NONE : new Triggers(triggers);
  }

  /**
   * Parses a triggers file's content (a JSON array; unknown fields are ignored).
   *
   * @throws IllegalArgumentException naming the problem and, where Jackson knows it, the line and
   *     column: bad JSON, not an array, a null entry, an empty Service, a bad regex
   */
  public static Triggers parse(byte[] json) {
    List<Trigger> list;
    try {
      list = READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad triggers JSON" + where(e) + ": " + cause(e), e);
    } catch (IOException e) {
      // Reading a byte array does no real I/O; Jackson reports every problem as JSON trouble.
      throw new IllegalArgumentException("bad triggers JSON: " + e.getMessage(), e);
    }
    if (list == null) {
      throw new IllegalArgumentException("bad triggers JSON: null, want an array");
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new IllegalArgumentException("bad triggers JSON: entry " + i + " is null");
      }
    }
    return of(list);
  }

  /**
   * Reads a triggers file.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException as {@link #parse}, with the file name in front
   */
  public static Triggers load(Path file) {
    byte[] json;
    try {
      json = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("read triggers " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The triggers file's content: an indented JSON array in UTF-8, ending in a newline. */
  public byte[] toJson() {
    try {
      byte[] body = WRITER.writeValueAsBytes(triggers);
      byte[] out = new byte[body.length + 1];
      System.arraycopy(body, 0, out, 0, body.length);
      out[body.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("write triggers: " + e.getMessage(), e);
    }
  }

  /** The triggers in file order. */
  @JsonValue
  public List<Trigger> list() {
    return triggers;
  }

  /** True if there are no triggers. */
  public boolean isEmpty() {
    return triggers.isEmpty();
  }

  /**
   * The triggers with a match line that matches one of {@code paths} ({@link Filter#match}: the
   * path itself, no ancestor rule), ordered as the class comment says.
   */
  public List<Trigger> matching(Collection<String> paths) {
    List<Trigger> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Filter filter = sortedFilters.get(i);
      for (String path : paths) {
        if (filter.match(path)) {
          out.add(sorted.get(i));
          break;
        }
      }
    }
    return out;
  }

  /** {@link #matching} for one path. */
  public List<Trigger> matchingPath(String path) {
    return matching(List.of(path));
  }

  private static String where(JsonProcessingException e) {
    StringBuilder where = new StringBuilder();
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      where.append(" at line ").append(at.getLineNr()).append(" column ").append(at.getColumnNr());
    }
    if (e instanceof JsonMappingException mapping
        && !mapping.getPath().isEmpty()
        && mapping.getPath().getFirst().getIndex() >= 0) {
      where.append(" (entry ").append(mapping.getPath().getFirst().getIndex()).append(')');
    }
    return where.toString();
  }

  // Our own constructor checks arrive wrapped; their message is the one worth showing.
  private static String cause(JsonProcessingException e) {
    return e.getCause() instanceof IllegalArgumentException bad
        ? bad.getMessage()
        : e.getOriginalMessage();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Triggers other && triggers.equals(other.triggers);
  }

  @Override
  public int hashCode() {
    return triggers.hashCode();
  }

  @Override
  public String toString() {
    return "Triggers" + triggers;
  }
}
