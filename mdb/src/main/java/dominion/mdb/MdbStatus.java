package dominion.mdb;

/**
 * What an {@link MdbWatcher} knows about its file, for status pages.
 *
 * @param file the watched file
 * @param machines machines in the MDB in force
 * @param loadedAtMillis when the MDB in force was read; 0 = never (no good file seen yet)
 * @param loads good files read since start
 * @param lastError why the file as it is now on disk is not in force (missing, unreadable, does not
 *     parse); null when the file on disk is the MDB in force
 * @param lastErrorAtMillis when that error was first seen; 0 when there is none
 */
public record MdbStatus(
    String file,
    int machines,
    long loadedAtMillis,
    long loads,
    String lastError,
    long lastErrorAtMillis) {}
