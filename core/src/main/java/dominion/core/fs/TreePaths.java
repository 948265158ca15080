package dominion.core.fs;

import java.util.Comparator;

/**
 * Paths inside a file tree: absolute, {@code /}-separated, with no empty, {@code .} or {@code ..}
 * components and no NUL; the root is {@code /}.
 */
public final class TreePaths {
  /** The root directory. */
  public static final String ROOT = "/";

  /**
   * Tree order: a pre-order walk with each directory's entries sorted by name. Comparing {@code /}
   * below every other character gives exactly that (so {@code /a/b} sorts before {@code /a.b}).
   */
  public static final Comparator<String> ORDER = TreePaths::compare;

  private TreePaths() {}

  /**
   * Checks that {@code path} is a clean tree path and returns it.
   *
   * @throws IllegalArgumentException naming the path and what is wrong with it
   */
  public static String check(String path) {
    String problem = problem(path);
    if (problem != null) {
      throw new IllegalArgumentException("bad path \"" + path + "\": " + problem);
    }
    return path;
  }

  /** Why {@code path} is not a clean tree path, or null if it is one. */
  public static String problem(String path) {
    if (path == null || path.isEmpty()) {
      return "empty";
    }
    if (path.charAt(0) != '/') {
      return "not absolute";
    }
    if (path.indexOf('\0') >= 0) {
      return "contains NUL";
    }
    if (path.equals(ROOT)) {
      return null;
    }
    if (path.endsWith("/")) {
      return "ends with /";
    }
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String part = path.substring(start, end);
      if (part.isEmpty()) {
        return "empty component";
      }
      if (part.equals(".") || part.equals("..")) {
        return "contains \"" + part + "\"";
      }
      start = end + 1;
    }
    return null;
  }

  /**
   * Turns a relative or absolute name from an archive or a request into a clean tree path: strips
   * leading {@code ./} and {@code /}, drops empty and {@code .} components.
   *
   * @throws IllegalArgumentException if a {@code ..} component would leave the tree
   */
  public static String normalize(String name) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new IllegalArgumentException("bad path \"" + name + "\": \"..\" escapes the tree");
      }
      if (part.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("bad path \"" + name + "\": contains NUL");
      }
      out.append('/').append(part);
      depth++;
    }
    return depth == 0 ? ROOT : out.toString();
  }

  /** The parent directory of a path other than the root. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0 || path.equals(ROOT)) {
      throw new IllegalArgumentException("path \"" + path + "\" has no parent");
    }
    return slash == 0 ? ROOT : path.substring(0, slash);
  }

  /** The last component of a path ({@code ""} for the root). */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code dir + "/" + name}, without doubling the root's slash. */
  public static String join(String dir, String name) {
    return dir.equals(ROOT) ? "/" + name : dir + "/" + name;
  }

  /** True if {@code path} is {@code dir} or lies below it. */
  public static boolean isWithin(String path, String dir) {
    if (dir.equals(ROOT)) {
      return true;
    }
    return path.startsWith(dir)
        && (path.length() == dir.length() || path.charAt(dir.length()) == '/');
  }

  /** Tree order; see {@link #ORDER}. */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca == '/') {
          return -1;
        }
        if (cb == '/') {
          return 1;
        }
        return Character.compare(ca, cb);
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}
