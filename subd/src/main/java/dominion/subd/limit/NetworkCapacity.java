package dominion.subd.limit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's network speed, for turning a percentage into bytes per second: the fastest
 * non-loopback interface that is up, from {@code /sys/class/net/IF/speed} (Mbit/s). Virtual
 * interfaces report no speed; then the stated default of 1 Gbit/s applies.
 */
public final class NetworkCapacity {
  private static final Logger log = LoggerFactory.getLogger(NetworkCapacity.class);

  /** Assumed when no interface reports its speed: 1 Gbit/s. */
  public static final long DEFAULT_BYTES_PER_SECOND = 125_000_000L;

  private NetworkCapacity() {}

  /** Bytes per second of the fastest interface, or {@link #DEFAULT_BYTES_PER_SECOND}. */
  public static long detect(Path sysClassNet) {
    long best = 0;
    try (DirectoryStream<Path> ifs = Files.newDirectoryStream(sysClassNet)) {
      for (Path dir : ifs) {
        if (dir.getFileName().toString().equals("lo")) {
          continue;
        }
        try {
          String state = Files.readString(dir.resolve("operstate"), StandardCharsets.UTF_8).strip();
          long mbits =
              Long.parseLong(
                  Files.readString(dir.resolve("speed"), StandardCharsets.UTF_8).strip());
          if (state.equals("up") && mbits > 0) {
            best = Math.max(best, mbits * 125_000L);
          }
        } catch (IOException | NumberFormatException e) {
          // No speed (virtual interface, link down): skip it.
        }
      }
    } catch (IOException e) {
      log.debug("cannot list {}: {}", sysClassNet, e.getMessage());
    }
    if (best == 0) {
      log.info("no network interface reports its speed; assuming 1 Gbit/s for the fetch limit");
      return DEFAULT_BYTES_PER_SECOND;
    }
    return best;
  }
}
