package dominion.mdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An immutable machine database: machines sorted by hostname, each hostname once. Read and write it
 * with {@link MdbCodec}; edit a file with {@link MdbFile}.
 */
public final class Mdb {
  /** The MDB with no machines. */
  public static final Mdb EMPTY = new Mdb(List.of());

  private final List<Machine> machines;
  private final Map<String, Machine> byHost;

  private Mdb(List<Machine> sorted) {
    this.machines = Collections.unmodifiableList(sorted);
    Map<String, Machine> map = new LinkedHashMap<>(sorted.size() * 2);
    for (Machine m : sorted) {
      map.put(m.hostname(), m);
    }
    this.byHost = Collections.unmodifiableMap(map);
  }

  /**
   * An MDB of these machines.
   *
   * @throws IllegalArgumentException naming a hostname that appears twice
   */
  public static Mdb of(List<Machine> machines) {
    List<Machine> sorted = new ArrayList<>(machines);
    sorted.sort(Comparator.comparing(Machine::hostname));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).hostname().equals(sorted.get(i - 1).hostname())) {
        throw new IllegalArgumentException(
            "bad MDB: machine \"" + sorted.get(i).hostname() + "\" appears twice");
      }
    }
    return new Mdb(sorted);
  }

  /** The machines, sorted by hostname. */
  public List<Machine> machines() {
    return machines;
  }

  /** The machine named {@code hostname}, or null. */
  public Machine get(String hostname) {
    return byHost.get(hostname);
  }

  public int size() {
    return machines.size();
  }

  /** This MDB with {@code machine} added, or replacing the machine of the same hostname. */
  public Mdb put(Machine machine) {
    Map<String, Machine> map = new LinkedHashMap<>(byHost);
    map.put(machine.hostname(), machine);
    return of(new ArrayList<>(map.values()));
  }

  /** This MDB without {@code hostname} (unchanged if it has no such machine). */
  public Mdb remove(String hostname) {
    return of(machines.stream().filter(m -> !m.hostname().equals(hostname)).toList());
  }

  /** This MDB with {@code change} applied to every machine {@code which} selects. */
  public Mdb update(Predicate<Machine> which, UnaryOperator<Machine> change) {
    return of(machines.stream().map(m -> which.test(m) ? change.apply(m) : m).toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mdb other && machines.equals(other.machines);
  }

  @Override
  public int hashCode() {
    return machines.hashCode();
  }

  @Override
  public String toString() {
    return "Mdb[" + machines.size() + " machines]";
  }
}
