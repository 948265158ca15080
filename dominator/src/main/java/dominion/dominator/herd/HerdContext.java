package dominion.dominator.herd;

import java.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * What every sub of a herd shares.
 *
 * @param polls permits for polls in flight, fleet-wide
 * @param diffs permits for diff computations in flight (each holds a whole tree in memory)
 */
record HerdContext(
    HerdConfig config,
    ImageCache images,
    Controls controls,
    SubApi.Factory apis,
    Semaphore polls,
    Semaphore diffs,
    HerdStats stats,
    Clock clock) {

  static HerdContext of(
      HerdConfig config, ImageCache images, Controls controls, SubApi.Factory apis, Clock clock) {
    return new HerdContext(
        config,
        images,
        controls,
        apis,
        new Semaphore(config.maxPollsInFlight()),
        new Semaphore(config.maxDiffsInFlight()),
        new HerdStats(),
        clock);
  }
}
