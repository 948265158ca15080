package dominion.mdb;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A shell-style pattern for hostnames: {@code *} matches any run of characters, {@code ?} one
 * character, {@code [abc]} / {@code [a-z]} / {@code [!a-z]} one character of a set; everything else
 * matches itself. The whole hostname must match.
 */
public final class HostGlob {
  private final String glob;
  private final Pattern pattern;

  private HostGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /**
   * Compiles a glob.
   *
   * @throws IllegalArgumentException for an empty glob or an unclosed {@code [}
   */
  public static HostGlob of(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("bad host pattern: empty");
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("bad host pattern \"" + glob + "\": unclosed [");
          }
          String set = glob.substring(i + 1, end);
          regex.append('[');
          if (set.startsWith("!")) {
            regex.append('^');
            set = set.substring(1);
          }
          regex
              .append(set.replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&"))
              .append(']');
          i = end;
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    try {
      return new HostGlob(glob, Pattern.compile(regex.toString()));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "bad host pattern \"" + glob + "\": " + e.getDescription(), e);
    }
  }

  public boolean matches(String hostname) {
    return pattern.matcher(hostname).matches();
  }

  /** True if the glob has no wildcard: it names one host. */
  public boolean isLiteral() {
    return glob.chars().noneMatch(c -> c == '*' || c == '?' || c == '[');
  }

  @Override
  public String toString() {
    return glob;
  }
}
