package dominion.mdb.mdbd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dominion.mdb.Mdb;
import dominion.mdb.MdbCodec;
import dominion.mdb.MdbFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mdbd's work: every {@code interval}, read the sources file and every source in it, merge them and
 * write the MDB file (atomically, under its lock) when the result changed. If the sources file or
 * any source cannot be read, nothing is written that cycle: a source that is down must not make its
 * machines vanish from the fleet.
 */
public final class MdbMerge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MdbMerge.class);

  /**
   * @param sourcesFile the file listing the sources (re-read each cycle)
   * @param mdbFile the MDB file to write
   * @param interval time between cycles
   */
  public record Config(Path sourcesFile, Path mdbFile, Duration interval) {}

  private final Config config;
  private final SourceReader reader;
  private final MdbCodec codec;
  private final MdbFile out;
  private final Clock clock;
  // Guarded by this.
  private MdbdStatus status;
  private Thread thread;
  private volatile boolean closed;

  public MdbMerge(Config config, SourceReader reader, MdbCodec codec, Clock clock) {
    this.config = config;
    this.reader = reader;
    this.codec = codec;
    this.out = new MdbFile(config.mdbFile(), codec);
    this.clock = clock;
    this.status =
        new MdbdStatus(
            config.sourcesFile().toString(), out.path().toString(), 0, 0, 0, 0, 0, null, List.of());
  }

  /** Runs cycles on a virtual thread until {@link #close()}, the first one now. */
  public synchronized MdbMerge start() {
    thread = Thread.ofVirtual().name("mdbd-merge").start(this::run);
    return this;
  }

  private void run() {
    while (!closed) {
      cycle();
      try {
        Thread.sleep(config.interval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One cycle: read, merge, write if changed.
   *
   * @return true if the MDB file was written
   */
  public boolean cycle() {
    List<MdbdStatus.SourceStatus> sources = new ArrayList<>();
    List<List<ObjectNode>> read = new ArrayList<>();
    String error = null;
    List<SourceSpec> specs;
    try {
      specs = SourceSpec.load(config.sourcesFile());
    } catch (IOException | IllegalArgumentException e) {
      specs = List.of();
      error = "read sources file " + config.sourcesFile() + ": " + e.getMessage();
    }
    for (SourceSpec spec : specs) {
      try {
        List<ObjectNode> nodes = reader.read(spec);
        read.add(nodes);
        sources.add(new MdbdStatus.SourceStatus(spec.toString(), nodes.size(), null));
      } catch (IOException | IllegalArgumentException e) {
        String message =
            e instanceof IOException
                ? "read source " + spec + ": " + e.getMessage()
                : e.getMessage();
        sources.add(new MdbdStatus.SourceStatus(spec.toString(), 0, message));
        error = error == null ? message : error;
      }
    }
    boolean wrote = false;
    int machines = 0;
    if (error == null) {
      try {
        Mdb merged = Merger.merge(read, codec);
        machines = merged.size();
        wrote = out.writeIfChanged(merged);
        if (wrote) {
          log.info("wrote MDB {}: {} machines from {} sources", out.path(), machines, specs.size());
        }
      } catch (IOException | IllegalArgumentException e) {
        error = "merge into " + out.path() + ": " + e.getMessage();
      }
    }
    record(error, sources, machines, wrote);
    return wrote;
  }

  private synchronized void record(
      String error, List<MdbdStatus.SourceStatus> sources, int machines, boolean wrote) {
    long now = clock.millis();
    if (error != null && !error.equals(status.lastError())) {
      log.error("{}; the MDB file is left as it is", error);
    }
    status =
        new MdbdStatus(
            status.sourcesFile(),
            status.mdbFile(),
            status.cycles() + 1,
            now,
            wrote ? now : status.lastWriteMillis(),
            status.writes() + (wrote ? 1 : 0),
            error == null ? machines : status.machines(),
            error,
            List.copyOf(sources));
  }

  public synchronized MdbdStatus status() {
    return status;
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
