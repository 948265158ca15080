package dominion.core.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Dominator-compatible path filter: the set of paths an image does not manage.
 *
 * <p>Each line is a Java regular expression anchored at the start only: a path matches a line if
 * {@code ^(?:line)} matches a prefix of it ({@link Matcher#lookingAt()}), so {@code /var/log/.*}
 * matches {@code /var/log/syslog}, and {@code /tmp/.*} matches {@code /tmp/x} but not {@code /tmp}
 * itself. Paths are absolute, without a trailing slash ({@code /var/log/syslog}); the root is
 * {@code /}. A line that is exactly {@code !} inverts the filter: paths that match no other line
 * are then the excluded ones. Blank lines are ignored.
 *
 * <p>Two ways to ask, for two kinds of caller:
 *
 * <ul>
 *   <li>{@link #match} looks at the one path. The scanner uses it while walking top-down, and does
 *       not descend into a directory that matches, which gives subtree exclusion for free. Trigger
 *       matching uses it too (a trigger fires on the changed path itself).
 *   <li>{@link #matchWithAncestors} also looks at every ancestor directory, for callers that see
 *       paths out of tree order (the dominator's diff, an update's delete list): a directory that
 *       matches is excluded with its whole subtree.
 * </ul>
 *
 * <p>Immutable and thread-safe. Equality is on {@link #lines()}.
 */
public final class Filter {
  /** The filter with no lines: excludes nothing, so an image with it manages everything. */
  public static final Filter EMPTY = new Filter(List.of(), new int[0]);

  private static final String INVERT = "!";

  private final List<String> lines;
  private final boolean inverted;
  // All regex lines as one alternation, or null if they cannot be safely combined (see combine).
  private final Pattern combined;
  // One pattern per regex line, with the literal text each needs at the start of a path.
  private final Pattern[] each;
  private final String[] eachPrefix;
  // The shortest distinct prefixes of eachPrefix: a path starting with none of them matches no
  // line. Null if some line needs no literal prefix (the check would pass every path).
  private final String[] required;

  // numbers[i] is the line number of lines.get(i) in the caller's input, for error messages.
  private Filter(List<String> lines, int[] numbers) {
    this.lines = List.copyOf(lines);
    boolean invert = false;
    List<Pattern> patterns = new ArrayList<>();
    List<String> regexes = new ArrayList<>();
    for (int i = 0; i < this.lines.size(); i++) {
      String line = this.lines.get(i);
      if (line.equals(INVERT)) {
        invert = true;
        continue;
      }
      patterns.add(compileLine(numbers[i], line));
      regexes.add(line);
    }
    this.inverted = invert;
    this.combined = combine(regexes);
    this.each = patterns.toArray(Pattern[]::new);
    this.eachPrefix = regexes.stream().map(Filter::literalPrefix).toArray(String[]::new);
    this.required = shortestPrefixes(eachPrefix);
  }

  /**
   * Builds a filter from lines as found in a filter file. A trailing {@code '\r'} is removed from
   * each line and blank lines are dropped.
   *
   * @throws IllegalArgumentException naming the line number (1-based, in {@code lines}, blank lines
   *     counted), the line and the regex error, for a line that does not compile or holds a newline
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Filter parse(List<String> lines) {
    List<String> kept = new ArrayList<>(lines.size());
    int[] numbers = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (!trimmed.isBlank()) {
        numbers[kept.size()] = i + 1;
        kept.add(trimmed);
      }
    }
    return kept.isEmpty() ? EMPTY : new Filter(kept, numbers);
  }

  /**
   * Reads a filter file (UTF-8, one regex per line).
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException as {@link #parse}, with the file name in front
   */
  public static Filter load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("read filter " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(lines);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The non-blank lines, as given (including any {@code !}), for display and for saving. */
  @JsonValue
  public List<String> lines() {
    return lines;
  }

  /** The lines joined by {@code '\n'}, each line ended by one: the filter file's content. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  /** True if this filter has no lines (it excludes nothing). */
  public boolean isEmpty() {
    return lines.isEmpty();
  }

  /** True if {@code path} itself is excluded (ancestors are not looked at). */
  public boolean match(String path) {
    return anyLineMatches(path, path.length()) != inverted;
  }

  /**
   * True if {@code path} or any directory above it is excluded: the subtree rule. The root {@code
   * /} is never excluded (an inverted filter would otherwise exclude everything), so {@code
   * matchWithAncestors("/")} is false and only {@code /a}, {@code /a/b}, ... are checked for {@code
   * /a/b/c}.
   */
  public boolean matchWithAncestors(String path) {
    if (lines.isEmpty() || path.length() <= 1) {
      return false;
    }
    if (required != null && !startsWithAny(path, path.length(), required)) {
      // No line can match the path or any of its ancestors: the common case, in one pass.
      return inverted;
    }
    for (int end = path.indexOf('/', 1); end > 0; end = path.indexOf('/', end + 1)) {
      if (anyLineMatches(path, end) != inverted) {
        return true;
      }
    }
    return match(path);
  }

  // Whether some regex line matches path[0, end), treating end as the end of the input.
  private boolean anyLineMatches(String path, int end) {
    if (combined != null) {
      return (required == null || startsWithAny(path, end, required))
          && lookingAt(combined, path, end);
    }
    for (int i = 0; i < each.length; i++) {
      if (startsWith(path, end, eachPrefix[i]) && lookingAt(each[i], path, end)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String path, int end, String[] prefixes) {
    for (String prefix : prefixes) {
      if (startsWith(path, end, prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(String path, int end, String prefix) {
    return prefix.length() <= end && path.startsWith(prefix);
  }

  /**
   * The literal text every match of {@code regex} starts with: most filter lines begin with a plain
   * path ({@code /var/log/.*}), and comparing strings is far cheaper than running a regex.
   * Conservative: stops at the first metacharacter or letter escape, drops a character a quantifier
   * follows, and gives "" for any line holding '|' (its branches need not share a prefix).
   */
  static String literalPrefix(String regex) {
    if (regex.indexOf('|') >= 0) {
      return "";
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
        prefix.append(regex.charAt(++i));
      } else if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        if ("?*+{".indexOf(c) >= 0 && !prefix.isEmpty()) {
          // The quantifier applies to the last code point, which may be two chars.
          prefix.setLength(prefix.offsetByCodePoints(prefix.length(), -1));
        }
        break;
      } else {
        prefix.append(c);
      }
    }
    return prefix.toString();
  }

  // Null if any prefix is empty; else the prefixes no other prefix is a prefix of.
  private static String[] shortestPrefixes(String[] prefixes) {
    String[] sorted = prefixes.clone();
    Arrays.sort(sorted);
    List<String> kept = new ArrayList<>();
    for (String prefix : sorted) {
      if (prefix.isEmpty()) {
        return null;
      }
      if (kept.isEmpty() || !prefix.startsWith(kept.getLast())) {
        kept.add(prefix);
      }
    }
    return kept.toArray(String[]::new);
  }

  private static boolean lookingAt(Pattern pattern, String path, int end) {
    // Anchoring bounds (the default) make '$' match at end; opaque bounds hide what follows it.
    Matcher matcher = pattern.matcher(path);
    if (end != path.length()) {
      matcher.region(0, end);
    }
    return matcher.lookingAt();
  }

  private static Pattern compileLine(int number, String line) {
    if (line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "bad filter line " + number + " \"" + line + "\": holds a newline");
    }
    try {
      // Alone first: a line such as "/a)|(/b" compiles once wrapped, but then escapes its group
      // (and its anchor). Dominator rejects it too.
      Pattern.compile(line);
      return Pattern.compile("^(?:" + line + ")");
    } catch (PatternSyntaxException e) {
      String where = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
      throw new IllegalArgumentException(
          "bad filter line " + number + " \"" + line + "\": " + e.getDescription() + where, e);
    }
  }

  /**
   * Joins the regex lines into {@code ^(?:(?:l1)|(?:l2)|...)} so a path costs one match, not one
   * per line. Java scopes inline flags such as {@code (?i)} to their group, so lines cannot leak
   * into one another; back-references and named groups can (group numbers shift, names collide), so
   * lines using them are matched one by one instead. Returns null in that case.
   */
  private static Pattern combine(List<String> regexes) {
    StringBuilder joined = new StringBuilder("^(?:");
    for (int i = 0; i < regexes.size(); i++) {
      String regex = regexes.get(i);
      if (usesGroupReferences(regex)) {
        return null;
      }
      joined.append(i == 0 ? "" : "|").append("(?:").append(regex).append(')');
    }
    if (regexes.isEmpty()) {
      // Matches nothing: an empty alternation would match everything.
      joined.append("(?!)");
    }
    try {
      return Pattern.compile(joined.append(')').toString());
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  // Conservative: true for \1..\9, \k<name> and (?<name>, even inside \Q...\E.
  private static boolean usesGroupReferences(String regex) {
    for (int i = 0; i + 1 < regex.length(); i++) {
      char c = regex.charAt(i);
      char next = regex.charAt(i + 1);
      if (c == '\\') {
        if ((next >= '1' && next <= '9') || next == 'k') {
          return true;
        }
        i++;
      } else if (c == '(' && regex.startsWith("?<", i + 1) && i + 3 < regex.length()) {
        char after = regex.charAt(i + 3);
        if (after != '=' && after != '!') {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Filter other && lines.equals(other.lines);
  }

  @Override
  public int hashCode() {
    return lines.hashCode();
  }

  @Override
  public String toString() {
    return "Filter" + lines;
  }
}
