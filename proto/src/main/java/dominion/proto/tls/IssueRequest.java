package dominion.proto.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a new certificate says.
 *
 * @param name the user (subject common name): a daemon's role or a person's login
 * @param methods the method globs it grants, in order, duplicates removed; empty for a program that
 *     calls no one (mdbd, which only serves its status pages)
 * @param hosts the DNS names and IP addresses it may serve from (SubjectAltName); empty means any
 *     host, checked by chain only (a fleet's shared subd certificate)
 * @param notBefore start of validity
 * @param notAfter end of validity, after {@code notBefore}
 */
public record IssueRequest(
    String name,
    List<MethodGlob> methods,
    List<String> hosts,
    Instant notBefore,
    Instant notAfter) {
  /** How far back a new certificate's validity starts, so hosts with a slow clock accept it. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** Checks every field, naming the one that is wrong. */
  public IssueRequest {
    if (name == null || name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "bad certificate name \""
              + name
              + "\": give a non-empty name without control characters");
    }
    methods = List.copyOf(new LinkedHashSet<>(methods));
    hosts = List.copyOf(new LinkedHashSet<>(hosts));
    hosts.forEach(HostNames::validate);
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException(
          "certificate for "
              + name
              + ": validity ends ("
              + notAfter
              + ") before it starts ("
              + notBefore
              + ")");
    }
  }

  /** A request valid from {@link #CLOCK_SKEW} before {@code now} until {@code now + lifetime}. */
  public static IssueRequest lasting(
      String name, List<MethodGlob> methods, List<String> hosts, Instant now, Duration lifetime) {
    return new IssueRequest(name, methods, hosts, now.minus(CLOCK_SKEW), now.plus(lifetime));
  }
}
