package dev.hyphae.store.sqlite;

import dev.hyphae.store.RemoteDeviceListCache;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The remote_device_lists table: one JSON document per remote user. */
final class RemoteDeviceListCacheTable implements RemoteDeviceListCache.Writer {
    static final String SCHEMA_V13 = """
            CREATE TABLE remote_device_lists (
                user_id TEXT NOT NULL PRIMARY KEY,
                list_json TEXT NOT NULL
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT list_json FROM remote_device_lists WHERE user_id = ?";
    static final String UPSERT = "INSERT INTO remote_device_lists (user_id, list_json) VALUES (?, ?)"
            + " ON CONFLICT (user_id) DO UPDATE SET list_json = excluded.list_json";
    static final String DELETE = "DELETE FROM remote_device_lists WHERE user_id = ?";

    private final TransactionScope scope;

    RemoteDeviceListCacheTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<String> get(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading remote device list", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void put(String userId, String listJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(listJson, "listJson");
        scope.call("caching remote device list", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setString(2, listJson);
            return statement.executeUpdate();
        });
    }

    @Override
    public boolean delete(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("forgetting remote device list", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, userId);
            return statement.executeUpdate() > 0;
        });
    }
}
