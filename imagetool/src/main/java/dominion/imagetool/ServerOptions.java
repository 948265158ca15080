package dominion.imagetool;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Where the imageserver is: Dominator's flags ({@code -imageServerHostname=H
 * -imageServerPortNum=P}) or {@code --image-server H:P}; localhost:6971 by default. The options are
 * accepted before or after the command.
 */
public final class ServerOptions {
  /** The imageserver's standard port. */
  public static final int DEFAULT_PORT = 6971;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private String hostname = "localhost";
  private int port = DEFAULT_PORT;
  // From --image-server, which wins whatever the order of the options.
  private String addressHost;
  private int addressPort;

  @Option(
      names = {"-imageServerHostname", "--imageServerHostname"},
      paramLabel = "HOST",
      scope = ScopeType.INHERIT,
      description = "Imageserver host (default: localhost).")
  void setHostname(String host) {
    if (host.isBlank()) {
      throw new ParameterException(mixee.commandLine(), "bad -imageServerHostname: empty");
    }
    this.hostname = host;
  }

  @Option(
      names = {"-imageServerPortNum", "--imageServerPortNum"},
      paramLabel = "PORT",
      scope = ScopeType.INHERIT,
      description = "Imageserver port (default: 6971).")
  void setPortNum(int port) {
    if (port < 1 || port > 65535) {
      throw new ParameterException(
          mixee.commandLine(), "bad -imageServerPortNum " + port + ": want 1 to 65535");
    }
    this.port = port;
  }

  @Option(
      names = "--image-server",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description = "Imageserver address (port 6971 if left out); overrides the options above.")
  void setImageServer(String s) {
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      host = close < 0 ? "" : s.substring(1, close);
      portText =
          close < 0 || close + 1 >= s.length()
              ? String.valueOf(DEFAULT_PORT)
              : s.charAt(close + 1) == ':' ? s.substring(close + 2) : "";
    } else {
      int colon = s.lastIndexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      portText = colon < 0 ? String.valueOf(DEFAULT_PORT) : s.substring(colon + 1);
    }
    if (host.isEmpty()
        || !portText.matches("[0-9]{1,5}")
        || Integer.parseInt(portText) < 1
        || Integer.parseInt(portText) > 65535) {
      throw new ParameterException(
          mixee.commandLine(),
          "bad --image-server \"" + s + "\": want HOST:PORT, e.g. imageserver.example:6971");
    }
    this.addressHost = host;
    this.addressPort = Integer.parseInt(portText);
  }

  /** The host to dial. */
  public String host() {
    return addressHost != null ? addressHost : hostname;
  }

  /** The port to dial. */
  public int port() {
    return addressHost != null ? addressPort : port;
  }
}
