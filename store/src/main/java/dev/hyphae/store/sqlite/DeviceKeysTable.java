package dev.hyphae.store.sqlite;

import dev.hyphae.store.DeviceKeys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The device_keys table. Deleting a device deletes its keys (foreign key cascade). */
final class DeviceKeysTable implements DeviceKeys.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE device_keys (
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                keys_json TEXT NOT NULL,
                PRIMARY KEY (user_id, device_id),
                FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
            ) WITHOUT ROWID""";

    static final String UPSERT = "INSERT INTO device_keys (user_id, device_id, keys_json) VALUES (?, ?, ?)"
            + " ON CONFLICT (user_id, device_id) DO UPDATE SET keys_json = excluded.keys_json";
    static final String SELECT = "SELECT keys_json FROM device_keys WHERE user_id = ? AND device_id = ?";
    static final String SELECT_FOR_USER = "SELECT device_id, keys_json FROM device_keys WHERE user_id = ? ORDER BY device_id";

    private final TransactionScope scope;

    DeviceKeysTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<String> get(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("reading device keys", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public Map<String, String> forUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("listing device keys", session -> {
            PreparedStatement statement = session.prepare(SELECT_FOR_USER);
            statement.setString(1, userId);
            Map<String, String> keys = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.put(rows.getString(1), rows.getString(2));
                }
            }
            return keys;
        });
    }

    @Override
    public void put(String userId, String deviceId, String keysJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(keysJson, "keysJson");
        scope.call("storing device keys", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, keysJson);
            return statement.executeUpdate();
        });
    }
}
