package dominion.dominator.herd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dominion.core.json.Json;
import dominion.proto.dominator.UpdatesControl;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's controls over the whole herd: the fleet-wide updates switch (kept in {@code
 * STATE_DIR/updates.json} so that a restart does not re-enable updates), safety-check clearances,
 * and the slots that cap updates in flight.
 */
public final class Controls {
  private static final Logger log = LoggerFactory.getLogger(Controls.class);
  private static final String FILE = "updates.json";

  private final Path stateDir;
  private final Clock clock;
  private final ObjectMapper mapper = Json.mapper();
  private final Semaphore updates;
  private final Semaphore highImpact;
  // hostname -> the required image whose unsafe update an operator let through.
  private final Map<String, String> cleared = new ConcurrentHashMap<>();
  private volatile UpdatesControl switchState;

  /**
   * @param stateDir where the switch is kept; null = in memory only
   */
  public Controls(Path stateDir, int maxUpdates, int maxHighImpact, Clock clock)
      throws IOException {
    this.stateDir = stateDir;
    this.clock = clock;
    this.updates = new Semaphore(maxUpdates);
    this.highImpact = new Semaphore(maxHighImpact);
    this.switchState = load();
  }

  private UpdatesControl load() throws IOException {
    if (stateDir == null || !Files.exists(stateDir.resolve(FILE))) {
      return new UpdatesControl(false, null, null, 0);
    }
    try {
      UpdatesControl c = mapper.readValue(stateDir.resolve(FILE).toFile(), UpdatesControl.class);
      if (c.disabled()) {
        log.warn(
            "updates are DISABLED (since {} by {}: {}); domtool enable-updates resumes them",
            java.time.Instant.ofEpochMilli(c.sinceMillis()),
            c.by(),
            c.reason());
      }
      return c;
    } catch (IOException e) {
      throw new IOException(
          "read "
              + stateDir.resolve(FILE)
              + ": "
              + e.getMessage()
              + "; fix or remove it (remove = updates enabled)",
          e);
    }
  }

  public UpdatesControl updatesSwitch() {
    return switchState;
  }

  public boolean updatesDisabled() {
    return switchState.disabled();
  }

  /** Flips the fleet-wide switch, saving it first so that a failure changes nothing. */
  public synchronized UpdatesControl setUpdatesDisabled(boolean disabled, String reason, String by)
      throws IOException {
    UpdatesControl next = new UpdatesControl(disabled, reason, by, clock.millis());
    if (stateDir != null) {
      Files.createDirectories(stateDir);
      Path tmp = stateDir.resolve(FILE + ".tmp");
      Files.write(tmp, mapper.writeValueAsBytes(next));
      try {
        Files.move(
            tmp,
            stateDir.resolve(FILE),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    switchState = next;
    log.warn("updates {} by {}: {}", disabled ? "DISABLED" : "enabled", by, reason);
    return next;
  }

  /** Lets {@code hostname}'s unsafe update to {@code image} go ahead. */
  public void clearSafety(String hostname, String image) {
    cleared.put(hostname, image);
  }

  /** True if an operator cleared {@code hostname}'s unsafe update to {@code image}. */
  public boolean safetyCleared(String hostname, String image) {
    return image.equals(cleared.get(hostname));
  }

  /** Forgets a clearance once its update is done, so the next unsafe update is held again. */
  public void forgetSafety(String hostname) {
    cleared.remove(hostname);
  }

  /**
   * Takes an update slot (and a high-impact one if {@code highImpactUpdate}) if free.
   *
   * @return the slot to release when the update ends, or null if none is free
   */
  public Slot tryTakeUpdateSlot(boolean highImpactUpdate) {
    if (!updates.tryAcquire()) {
      return null;
    }
    if (highImpactUpdate && !highImpact.tryAcquire()) {
      updates.release();
      return null;
    }
    return new Slot(highImpactUpdate);
  }

  /** Updates in flight. */
  public int updatesInFlight(int max) {
    return max - updates.availablePermits();
  }

  /** A taken update slot; {@link #release} is idempotent. */
  public final class Slot {
    private final boolean highImpactSlot;
    private boolean released;

    private Slot(boolean highImpactSlot) {
      this.highImpactSlot = highImpactSlot;
    }

    public synchronized void release() {
      if (!released) {
        released = true;
        updates.release();
        if (highImpactSlot) {
          highImpact.release();
        }
      }
    }
  }
}
