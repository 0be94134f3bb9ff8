package dev.hyphae.store.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a SQLite store.
 *
 * @param databaseFile    the database file (its -wal and -shm files sit beside it)
 * @param readConnections how many read-only connections to keep
 * @param maxBatchUnits   how many queued write units one transaction may group together
 * @param busyTimeout     how long a connection waits for a lock held by another process
 * @param commitLinger    how long the writer may wait for more units before a transaction, when
 *                        the previous transaction grouped several (zero: never wait)
 */
public record SqliteStoreOptions(
        Path databaseFile, int readConnections, int maxBatchUnits, Duration busyTimeout, Duration commitLinger) {
    /** The name of the database file in a node's data directory. */
    public static final String DATABASE_FILE_NAME = "hyphae.db";

    public SqliteStoreOptions {
        Objects.requireNonNull(databaseFile, "databaseFile");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(commitLinger, "commitLinger");
        if (readConnections < 1 || maxBatchUnits < 1 || busyTimeout.isNegative() || commitLinger.isNegative()) {
            throw new IllegalArgumentException("need at least one read connection, a batch of at least one unit"
                    + " and non-negative durations");
        }
    }

    /** The defaults for the database in a node's data directory. */
    public static SqliteStoreOptions inDirectory(Path dataDirectory) {
        return new SqliteStoreOptions(dataDirectory.resolve(DATABASE_FILE_NAME), 4, 256, Duration.ofSeconds(10),
                Duration.ofMillis(1));
    }
}
