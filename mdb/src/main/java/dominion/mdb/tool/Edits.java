package dominion.mdb.tool;

import dominion.mdb.HostGlob;
import dominion.mdb.Machine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The shared shape of the commands that change the machines a glob matches. */
final class Edits {
  private Edits() {}

  /**
   * Applies {@code change} to every machine {@code hosts} matches, under the file's lock.
   *
   * @param what the start of the error message, e.g. "set RequiredImage of"
   * @return the hostnames changed (matched), sorted
   * @throws IllegalArgumentException if no machine matches
   */
  static List<String> apply(
      MdbtoolMain main, HostGlob hosts, String what, UnaryOperator<Machine> change)
      throws IOException {
    List<String> matched = new ArrayList<>();
    main.file()
        .edit(
            mdb -> {
              matched.clear();
              mdb.machines().stream()
                  .map(Machine::hostname)
                  .filter(hosts::matches)
                  .forEach(matched::add);
              if (matched.isEmpty()) {
                throw new IllegalArgumentException(
                    what
                        + " "
                        + hosts
                        + ": no machine in "
                        + main.file().path()
                        + " matches; see 'mdbtool list'");
              }
              return mdb.update(m -> hosts.matches(m.hostname()), change);
            },
            false);
    return matched;
  }
}
