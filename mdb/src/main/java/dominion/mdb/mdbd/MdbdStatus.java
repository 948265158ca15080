package dominion.mdb.mdbd;

import java.util.List;

/**
 * What mdbd shows on its status page. Times are milliseconds since the epoch; 0 = never.
 *
 * @param sourcesFile the sources file
 * @param mdbFile the MDB file written
 * @param cycles merge cycles run
 * @param lastCycleMillis when the last cycle ended
 * @param lastWriteMillis when the MDB file was last written
 * @param writes times the MDB file was written
 * @param machines machines in the last merged MDB
 * @param lastError why the last cycle did not write (a source or the sources file failed); null
 *     when it succeeded
 * @param sources the sources of the last cycle, in order
 */
public record MdbdStatus(
    String sourcesFile,
    String mdbFile,
    long cycles,
    long lastCycleMillis,
    long lastWriteMillis,
    long writes,
    int machines,
    String lastError,
    List<SourceStatus> sources) {

  /**
   * @param source the source as the sources file names it
   * @param machines machines it gave in the last cycle
   * @param error why it could not be read; null when it was read
   */
  public record SourceStatus(String source, int machines, String error) {}
}
