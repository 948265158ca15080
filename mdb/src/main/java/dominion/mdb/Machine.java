package dominion.mdb;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * One machine of the MDB, in Dominator's JSON form ({@code Hostname}, {@code IpAddress}, ...). Only
 * the hostname is required. Fields this class does not know (Dominator's {@code OwnerGroup}, a
 * site's own fields) are kept in {@link #extra} so that editing a file never drops them.
 *
 * @param hostname the machine's name; never blank
 * @param ipAddress the address to dial; null = dial the hostname
 * @param port subd's port on this machine; null = the standard port (6969)
 * @param requiredImage the image the machine must run; null = none (the dominator leaves it alone)
 * @param plannedImage the image it will run next, pre-fetched into its cache; null = none
 * @param disableUpdates hold every change to this machine (polling continues)
 * @param tags free-form labels; {@code DisableSafetyCheck} lets unsafe updates through; never null
 * @param location free-form; null = unknown
 * @param extra fields of the JSON object that this class does not model; never null
 */
@JsonPropertyOrder({
  "Hostname",
  "IpAddress",
  "Port",
  "RequiredImage",
  "PlannedImage",
  "DisableUpdates",
  "Tags",
  "Location"
})
public record Machine(
    @JsonProperty("Hostname") String hostname,
    @JsonProperty("IpAddress") String ipAddress,
    @JsonProperty("Port") Integer port,
    @JsonProperty("RequiredImage") String requiredImage,
    @JsonProperty("PlannedImage") String plannedImage,
    @JsonProperty("DisableUpdates") boolean disableUpdates,
    @JsonProperty("Tags") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> tags,
    @JsonProperty("Location") String location,
    @JsonAnySetter @JsonIgnore Map<String, JsonNode> extra) {

  /** subd's standard port, dialled when a machine names none. */
  public static final int DEFAULT_SUBD_PORT = 6969;

  /** The tag that lets a machine take updates the safety check would hold. */
  public static final String DISABLE_SAFETY_CHECK_TAG = "DisableSafetyCheck";

  /**
   * Checks and normalises: blank strings become null, null maps become empty.
   *
   * @throws IllegalArgumentException if the hostname is blank or holds white space, or the port is
   *     outside 1..65535
   */
  public Machine {
    if (hostname == null || hostname.isBlank()) {
      throw new IllegalArgumentException("bad machine: Hostname is missing");
    }
    if (hostname.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("bad machine \"" + hostname + "\": Hostname holds space");
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException(
          "bad machine \"" + hostname + "\": Port " + port + " is not in 1..65535");
    }
    ipAddress = blankToNull(ipAddress);
    requiredImage = blankToNull(requiredImage);
    plannedImage = blankToNull(plannedImage);
    location = blankToNull(location);
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extra));
  }

  /** A machine with only a hostname. */
  public static Machine of(String hostname) {
    return new Machine(hostname, null, null, null, null, false, null, null, null);
  }

  // Written after the known fields, so a file keeps every field it had.
  @JsonAnyGetter
  Map<String, JsonNode> extraForJson() {
    return extra;
  }

  /** The host to dial: the IP address if given, else the hostname. */
  @JsonIgnore
  public String dialAddress() {
    return ipAddress != null ? ipAddress : hostname;
  }

  /** The port to dial: {@link #port} or the standard one. */
  @JsonIgnore
  public int dialPort() {
    return port != null ? port : DEFAULT_SUBD_PORT;
  }

  /** True if the {@code DisableSafetyCheck} tag is set to anything but {@code false}. */
  @JsonIgnore
  public boolean safetyCheckDisabled() {
    String v = tags.get(DISABLE_SAFETY_CHECK_TAG);
    return v != null && !v.equalsIgnoreCase("false");
  }

  public Machine withIpAddress(String value) {
    return new Machine(
        hostname, value, port, requiredImage, plannedImage, disableUpdates, tags, location, extra);
  }

  public Machine withPort(Integer value) {
    return new Machine(
        hostname,
        ipAddress,
        value,
        requiredImage,
        plannedImage,
        disableUpdates,
        tags,
        location,
        extra);
  }

  public Machine withRequiredImage(String value) {
    return new Machine(
        hostname, ipAddress, port, value, plannedImage, disableUpdates, tags, location, extra);
  }

  public Machine withPlannedImage(String value) {
    return new Machine(
        hostname, ipAddress, port, requiredImage, value, disableUpdates, tags, location, extra);
  }

  public Machine withDisableUpdates(boolean value) {
    return new Machine(
        hostname, ipAddress, port, requiredImage, plannedImage, value, tags, location, extra);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
