package dev.hyphae.store.sqlite;

import dev.hyphae.store.StoreException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens connections to the database file with the settings the store relies on: write-ahead
 * logging (readers do not block the writer), {@code synchronous=FULL} (a transaction is durable
 * once COMMIT returns, even after power loss), foreign keys enforced, and a busy timeout.
 */
final class SqliteConnections {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnections.class);

    private final String url;
    private final Duration busyTimeout;

    SqliteConnections(Path databaseFile, Duration busyTimeout) {
        this.url = "jdbc:sqlite:" + databaseFile.toAbsolutePath();
        this.busyTimeout = busyTimeout;
    }

    SqliteSession openWriter() {
        SQLiteConfig config = baseConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SqliteSession session = open(config, "write");
        try (Statement statement = session.connection().createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            String mode = rows.next() ? rows.getString(1).toLowerCase(Locale.ROOT) : "unknown";
            if (!mode.equals("wal")) {
                LOG.warn("SQLite kept journal mode {} instead of WAL; reads will wait for writes", mode);
            }
        } catch (SQLException e) {
            session.close();
            throw new StoreException("checking the journal mode failed", e);
        }
        return session;
    }

    SqliteSession openReader() {
        SQLiteConfig config = baseConfig();
        config.setReadOnly(true);
        return open(config, "read");
    }

    private SQLiteConfig baseConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        // The tables read last_insert_rowid() themselves where they need it; the driver's generated
        // keys support would otherwise inspect and follow every update.
        config.setGetGeneratedKeys(false);
        return config;
    }

    private SqliteSession open(SQLiteConfig config, String role) {
        try {
            return new SqliteSession(config.createConnection(url));
        } catch (SQLException e) {
            throw new StoreException("opening a " + role + " connection to " + url + " failed: " + e.getMessage(), e);
        }
    }
}
