package dominion.proto.tls;

import java.util.regex.Pattern;

/**
 * A pattern over RPC method names such as {@code Subd.*} or {@code ImageServer.AddImage}. Its stars
 * match any run of characters (dots included, possibly empty); every other character matches
 * itself, case-sensitively. So {@code *} alone permits every method and {@code Subd.*} permits
 * {@code Subd.Poll} but not {@code SubdX.Poll}.
 *
 * @param pattern letters, digits, {@code _}, {@code .} and {@code *}; never empty
 */
public record MethodGlob(String pattern) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.*]+");

  /** Checks the pattern's characters. */
  public MethodGlob {
    if (pattern == null || !VALID.matcher(pattern).matches()) {
      throw new IllegalArgumentException(
          "bad method glob \""
              + pattern
              + "\": use letters, digits, '_', '.' and '*' only"
              + " (for example Subd.* or ImageServer.AddImage)");
    }
  }

  /** Whether {@code method} (for example {@code Subd.Poll}) matches this glob. */
  public boolean matches(String method) {
    // Iterative wildcard match: on a mismatch, retry from the last '*' consuming one more
    // character. Linear in practice, never exponential.
    int p = 0;
    int m = 0;
    int star = -1;
    int starMatch = 0;
    while (m < method.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starMatch = m;
      } else if (p < pattern.length() && pattern.charAt(p) == method.charAt(m)) {
        p++;
        m++;
      } else if (star >= 0) {
        p = star + 1;
        m = ++starMatch;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
