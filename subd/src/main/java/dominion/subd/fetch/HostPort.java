package dominion.subd.fetch;

/** A {@code host:port} address ({@code [v6]:port} for IPv6; the port may be left out). */
public record HostPort(String host, int port) {
  /**
   * Parses an address.
   *
   * @throws IllegalArgumentException naming the bad address
   */
  public static HostPort parse(String address, int defaultPort) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("bad server address: empty");
    }
    String host = address;
    String port = null;
    if (address.startsWith("[")) {
      int end = address.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("bad server address \"" + address + "\": no ]");
      }
      host = address.substring(1, end);
      if (end + 1 < address.length()) {
        if (address.charAt(end + 1) != ':') {
          throw new IllegalArgumentException("bad server address \"" + address + "\"");
        }
        port = address.substring(end + 2);
      }
    } else if (address.indexOf(':') >= 0 && address.indexOf(':') == address.lastIndexOf(':')) {
      host = address.substring(0, address.indexOf(':'));
      port = address.substring(address.indexOf(':') + 1);
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad server address \"" + address + "\": bad port");
      }
    }
    if (host.isEmpty() || p < 1 || p > 65535) {
      throw new IllegalArgumentException("bad server address \"" + address + "\"");
    }
    return new HostPort(host, p);
  }
}
