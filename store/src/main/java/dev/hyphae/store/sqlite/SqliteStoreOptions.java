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
 */
public record SqliteStoreOptions(Path databaseFile, int readConnections, int maxBatchUnits, Duration busyTimeout) {
    /** The name of the database file in a node's data directory. */
    public static final String DATABASE_FILE_NAME = "hyphae.db";

    public SqliteStoreOptions {
        Objects.requireNonNull(databaseFile, "databaseFile");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (readConnections < 1 || maxBatchUnits < 1 || busyTimeout.isNegative()) {
            throw new IllegalArgumentException("need at least one read connection, a batch of at least one unit"
                    + " and a non-negative busy timeout");
        }
    }

    /** The defaults for the database in a node's data directory. */
    public static SqliteStoreOptions inDirectory(Path dataDirectory) {
        return new SqliteStoreOptions(dataDirectory.resolve(DATABASE_FILE_NAME), 4, 256, Duration.ofSeconds(10));
    }
}
