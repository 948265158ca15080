package dominion.core.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry of a triggers file: a service to stop before and start (or reload) after an update that
 * changes a path matched by {@link #matchLines}. The JSON form is Dominator's: {@code
 * {"MatchLines": [...], "Service": "sshd", "DoReload": false, "DoReboot": false, "HighImpact":
 * false, "SortName": ""}}; only {@code Service} is required.
 *
 * <p>The constructor checks every component, so a {@code Trigger} that exists is valid.
 *
 * @param matchLines regexes with the {@link Filter}'s rules (anchored at the start only, {@code !}
 *     inverts, blank lines ignored); the trigger fires if one matches a changed path. Null means
 *     empty: a trigger that never fires.
 * @param service the service to stop and start; must not be null or blank
 * @param doReload reload the service after the update instead of stopping and starting it
 * @param doReboot reboot the host after the update
 * @param highImpact restarting this service disturbs the host's users; the dominator limits how
 *     many such updates run at once
 * @param sortName orders triggers (see {@link Triggers#matching}); null means empty
 */
@JsonPropertyOrder({"MatchLines", "Service", "DoReload", "DoReboot", "HighImpact", "SortName"})
public record Trigger(
    @JsonProperty("MatchLines") List<String> matchLines,
    @JsonProperty("Service") String service,
    @JsonProperty("DoReload") boolean doReload,
    @JsonProperty("DoReboot") boolean doReboot,
    @JsonProperty("HighImpact") boolean highImpact,
    @JsonProperty("SortName") String sortName) {

  /**
   * Checks and normalises the components.
   *
   * @throws IllegalArgumentException if the service is missing or a match line is a bad regex (the
   *     message names the service and the line)
   */
  public Trigger {
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("bad trigger: Service is empty");
    }
    if (matchLines == null) {
      matchLines = List.of();
    } else {
      for (String line : matchLines) {
        if (line == null) {
          throw new IllegalArgumentException(
              "bad trigger \"" + service + "\": MatchLines holds null");
        }
      }
      matchLines = List.copyOf(matchLines);
    }
    sortName = sortName == null ? "" : sortName;
    compile(service, matchLines);
  }

  /** A trigger that stops and starts {@code service} when a path matches one of {@code lines}. */
  public static Trigger of(String service, List<String> lines) {
    return new Trigger(lines, service, false, false, false, "");
  }

  /**
   * Compiles {@link #matchLines} into a filter whose {@link Filter#match} tells whether this
   * trigger fires for a path. Compiles anew on each call; {@link Triggers} keeps the result.
   */
  public Filter matchFilter() {
    return compile(service, matchLines);
  }

  private static Filter compile(String service, List<String> lines) {
    try {
      return Filter.parse(lines);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad trigger \"" + service + "\": " + e.getMessage(), e);
    }
  }
}
