package dev.hyphae.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqliteConnectionsTest {
    @TempDir
    Path directory;

    private static String pragma(SqliteSession session, String name) throws SQLException {
        try (Statement statement = session.connection().createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void writeConnectionIsDurableWithWalForeignKeysAndBusyTimeout() throws SQLException {
        SqliteConnections connections = new SqliteConnections(directory.resolve("db"), Duration.ofSeconds(7));
        try (SqliteSession writer = connections.openWriter()) {
            assertEquals("wal", pragma(writer, "journal_mode"));
            assertEquals("2", pragma(writer, "synchronous"), "synchronous must be FULL (2)");
            assertEquals("1", pragma(writer, "foreign_keys"));
            assertEquals("7000", pragma(writer, "busy_timeout"));
        }
    }

    @Test
    void readConnectionsRefuseWrites() throws SQLException {
        SqliteConnections connections = new SqliteConnections(directory.resolve("db"), Duration.ofSeconds(1));
        try (SqliteSession writer = connections.openWriter(); SqliteSession reader = connections.openReader()) {
            writer.execute("CREATE TABLE t (x INTEGER)");
            assertThrows(SQLException.class, () -> reader.execute("INSERT INTO t VALUES (1)"));
            assertEquals("1", pragma(reader, "foreign_keys"));
        }
    }
}
