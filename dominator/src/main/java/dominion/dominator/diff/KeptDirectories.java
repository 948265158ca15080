package dominion.dominator.diff;

import dominion.core.fs.Entry;
import dominion.core.fs.FileTree;
import dominion.core.fs.TreePaths;
import dominion.core.image.Filter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The directories of a sub that must not be deleted even though the image lacks them, because they
 * hold (or may hold) paths nobody manages: deleting {@code /etc/local} would take the files the
 * filter line {@code /etc/local/.*} exists to protect, and deleting {@code /home} would take
 * everything the sub's scan leaves out under {@code /home/.*}, which the tree cannot even show.
 *
 * <p>A directory is kept if an unmanaged entry of the tree lies below it, or if a filter line's
 * literal start names something below it ({@code /home/.*} keeps {@code /home}). Lines that start
 * with a pattern, and inverted filters, protect only through what the tree shows. The sub's managed
 * entries below a kept directory are still compared one by one.
 */
final class KeptDirectories {
  private final Set<String> kept = new HashSet<>();

  KeptDirectories(FileTree sub, Predicate<String> managed, Filter... filters) {
    for (Entry e : sub.entries()) {
      if (!managed.test(e.path())) {
        keepAncestors(e.path());
      }
    }
    for (Filter f : filters) {
      if (f == null || f.lines().contains("!")) {
        continue;
      }
      for (String line : f.lines()) {
        String prefix = literalPrefix(line);
        int slash = prefix.lastIndexOf('/');
        if (slash > 0) {
          String dir = prefix.substring(0, slash);
          if (TreePaths.problem(dir) == null) {
            kept.add(dir);
            keepAncestors(dir);
          }
        }
      }
    }
  }

  boolean contains(String dir) {
    return kept.contains(dir);
  }

  private void keepAncestors(String path) {
    for (String p = path; !p.equals(TreePaths.ROOT); ) {
      p = TreePaths.parent(p);
      if (!kept.add(p)) {
        return;
      }
    }
  }

  /**
   * The literal text every match of {@code regex} starts with (the same rule as {@link Filter}'s
   * own: stop at the first metacharacter, drop a character a quantifier follows, nothing for a line
   * with {@code |}).
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
          prefix.setLength(prefix.length() - 1);
        }
        break;
      } else {
        prefix.append(c);
      }
    }
    return prefix.toString();
  }
}
