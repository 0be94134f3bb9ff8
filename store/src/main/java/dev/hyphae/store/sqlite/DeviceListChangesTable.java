package dev.hyphae.store.sqlite;

import dev.hyphae.store.DeviceListChanges;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The device_list_changes table: one row per user holding the position of the user's latest change.
 * AUTOINCREMENT keeps positions increasing even when the row with the highest one is replaced.
 */
final class DeviceListChangesTable implements DeviceListChanges.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE device_list_changes (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id TEXT NOT NULL UNIQUE
            )""";

    static final String DELETE_USER = "DELETE FROM device_list_changes WHERE user_id = ?";
    static final String INSERT = "INSERT INTO device_list_changes (user_id) VALUES (?)";
    static final String SELECT_LATEST = "SELECT COALESCE(MAX(position), 0) FROM device_list_changes";
    static final String SELECT_BETWEEN = "SELECT user_id FROM device_list_changes"
            + " WHERE position > ? AND position <= ? ORDER BY user_id";

    private final TransactionScope scope;

    DeviceListChangesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public long latestPosition() {
        return scope.call("reading device list position", session -> {
            try (ResultSet rows = session.prepare(SELECT_LATEST).executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public Set<String> changedBetween(long from, long to) {
        return scope.call("reading device list changes", session -> {
            PreparedStatement statement = session.prepare(SELECT_BETWEEN);
            statement.setLong(1, from);
            statement.setLong(2, to);
            Set<String> users = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    users.add(rows.getString(1));
                }
            }
            return users;
        });
    }

    @Override
    public long record(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("recording device list change", session -> {
            PreparedStatement delete = session.prepare(DELETE_USER);
            delete.setString(1, userId);
            delete.executeUpdate();
            PreparedStatement insert = session.prepare(INSERT);
            insert.setString(1, userId);
            insert.executeUpdate();
            return LastInsertRowId.of(session);
        });
    }
}
