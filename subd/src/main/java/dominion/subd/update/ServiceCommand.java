package dominion.subd.update;

import dominion.proto.subd.TriggerResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the host's service manager for triggers, and the reboot command.
 *
 * <p>The command line is split on spaces. If it holds {@code {action}} or {@code {service}}, those
 * are substituted; otherwise a command named {@code service} is called as {@code service NAME
 * ACTION} and any other (systemctl) as {@code CMD ACTION NAME}.
 */
public final class ServiceCommand {
  private static final Logger log = LoggerFactory.getLogger(ServiceCommand.class);
  private static final int MAX_OUTPUT = 16 * 1024;

  /**
   * @param command the service command line
   * @param rebootCommand the command line that reboots the host
   * @param timeout how long one command may run before it is killed
   */
  public record Config(String command, String rebootCommand, Duration timeout) {}

  private final Config config;

  public ServiceCommand(Config config) {
    this.config = config;
  }

  /**
   * {@code systemctl} where systemd runs ({@code /run/systemd/system} exists), else {@code
   * service}.
   */
  public static String defaultCommand() {
    return Files.isDirectory(Path.of("/run/systemd/system")) ? "systemctl" : "service";
  }

  /** Runs {@code action} (stop, start, reload) on {@code service}. */
  public TriggerResult run(String service, String action) {
    return execute(service, action, argv(config.command(), service, action));
  }

  /** Runs the reboot command; {@code service} names the trigger that asked for it. */
  public TriggerResult reboot(String service) {
    return execute(service, "reboot", split(config.rebootCommand()));
  }

  static List<String> argv(String command, String service, String action) {
    List<String> words = split(command);
    if (command.contains("{action}") || command.contains("{service}")) {
      List<String> out = new ArrayList<>();
      for (String w : words) {
        out.add(w.replace("{action}", action).replace("{service}", service));
      }
      return out;
    }
    List<String> out = new ArrayList<>(words);
    if (Path.of(words.getFirst()).getFileName().toString().equals("service")) {
      out.add(service);
      out.add(action);
    } else {
      out.add(action);
      out.add(service);
    }
    return out;
  }

  private static List<String> split(String command) {
    List<String> words =
        Arrays.stream(command.strip().split(" +")).filter(w -> !w.isEmpty()).toList();
    if (words.isEmpty()) {
      throw new IllegalArgumentException("empty service command");
    }
    return words;
  }

  private TriggerResult execute(String service, String action, List<String> argv) {
    Process process;
    try {
      process =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      log.error("{} {}: cannot run {}: {}", action, service, argv, e.getMessage());
      return new TriggerResult(service, action, -1, "cannot run " + argv + ": " + e.getMessage());
    }
    String output;
    int status;
    try (InputStream in = process.getInputStream()) {
      // The reader ends when the process (and any child holding its stdout) closes the pipe;
      // a timeout thread kills a command that hangs.
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  if (!process.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      byte[] bytes = in.readNBytes(MAX_OUTPUT);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      output = new String(bytes, StandardCharsets.UTF_8).strip();
      if (!process.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        status = -1;
        output = output + "\n(killed after " + config.timeout().toSeconds() + " s)";
      } else {
        status = process.exitValue();
      }
    } catch (IOException e) {
      status = -1;
      output = "reading output failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new TriggerResult(service, action, -1, "interrupted");
    }
    if (status == 0) {
      log.info(
          "{} {}: {} exited 0{}", action, service, argv, output.isEmpty() ? "" : ": " + output);
    } else {
      log.warn("{} {}: {} exited {}: {}", action, service, argv, status, output);
    }
    return new TriggerResult(service, action, status, output.isEmpty() ? null : output);
  }
}
