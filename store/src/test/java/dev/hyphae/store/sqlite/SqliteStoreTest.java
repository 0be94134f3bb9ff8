package dev.hyphae.store.sqlite;

import dev.hyphae.store.AccessToken;
import dev.hyphae.store.Account;
import dev.hyphae.store.ClientTransaction;
import dev.hyphae.store.Device;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoreContract;
import dev.hyphae.store.StoreException;
import dev.hyphae.store.TokenHash;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dataDirectory;

    @Override
    public Store openStore() {
        return SqliteStore.openInDirectory(dataDirectory);
    }

    private Connection freshConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteStoreOptions.DATABASE_FILE_NAME));
    }

    @Override
    public Optional<String> readEventJsonOnFreshConnection(String eventId) {
        try (Connection connection = freshConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT json FROM events WHERE event_id = ?")) {
            statement.setString(1, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("test read failed", e);
        }
    }

    @Override
    public void markSchemaNewerThanCode() {
        try (Connection connection = freshConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO schema_version (version, description, applied_ts) VALUES (9999, 'future', 0)");
        } catch (SQLException e) {
            throw new StoreException("test write failed", e);
        }
    }

    @Test
    void databaseIsInWriteAheadLogMode() throws SQLException {
        try (Connection connection = freshConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            rows.next();
            assertEquals("wal", rows.getString(1));
        }
    }

    @Test
    void databaseFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dataDirectory.resolve(SqliteStoreOptions.DATABASE_FILE_NAME);
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }

    @Test
    void tokensAreStoredOnlyAsHashes() throws SQLException {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            tx.devices().insert(new Device(ALICE, "PHONE", null, null, null));
            return tx.accessTokens().insert(new AccessToken(TokenHash.of("syt_plain_secret"), ALICE, "PHONE", 1L,
                    null, TokenHash.of("syr_plain_refresh")));
        });
        try (Connection connection = freshConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM access_tokens")) {
            while (rows.next()) {
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    String value = rows.getString(column);
                    assertFalse(value != null && value.contains("plain"), "column " + column + " holds a token");
                }
            }
        }
    }

    @Test
    void databaseAtAnOlderSchemaIsUpgradedKeepingItsData() {
        Path olderDirectory = dataDirectory.resolve("older");
        SqliteStoreOptions options = SqliteStoreOptions.inDirectory(olderDirectory);
        try (Store old = SqliteStore.open(options, SchemaMigrations.ALL.subList(0, 1))) {
            assertEquals(1, old.schemaVersion());
            old.write(tx -> tx.accounts().create(new Account(ALICE, "hash", 1L, false, false))).join();
        }
        try (Store upgraded = SqliteStore.open(options)) {
            assertEquals(SchemaMigrations.ALL.size(), upgraded.schemaVersion());
            boolean kept = upgraded.read(tx -> tx.accounts().exists(ALICE));
            assertTrue(kept);
            upgraded.write(tx -> {
                tx.devices().insert(new Device(ALICE, "PHONE", null, null, null));
                return tx.clientTransactions().record(new ClientTransaction(ALICE, "PHONE", "/path", 200, "{}", 1L));
            }).join();
            assertTrue(upgraded.read(tx -> tx.clientTransactions().get(ALICE, "PHONE", "/path")).isPresent());
        }
    }

    @Test
    void everyMigrationIsRecordedOnce() throws SQLException {
        store.close();
        store = openStore();
        try (Connection connection = freshConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
            rows.next();
            assertEquals(SchemaMigrations.ALL.size(), rows.getInt(1));
            assertEquals(SchemaMigrations.ALL.size(), rows.getInt(2));
        }
    }
}
