package dev.hyphae.store.sqlite;

import dev.hyphae.store.OneTimeKey;
import dev.hyphae.store.OneTimeKeys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one_time_keys table. The rowid records upload order, so a claim hands out the oldest key
 * first; a claim is a select and a delete inside the single writer's transaction.
 */
final class OneTimeKeysTable implements OneTimeKeys.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE one_time_keys (
                id INTEGER PRIMARY KEY,
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                key_id TEXT NOT NULL,
                key_json TEXT NOT NULL,
                UNIQUE (user_id, device_id, key_id),
                FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
            )""";
    static final String INDEX_ALGORITHM_V4 =
            "CREATE INDEX one_time_keys_algorithm ON one_time_keys (user_id, device_id, algorithm, id)";

    static final String INSERT = "INSERT INTO one_time_keys (user_id, device_id, algorithm, key_id, key_json)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, device_id, key_id) DO NOTHING";
    static final String SELECT = "SELECT key_json FROM one_time_keys WHERE user_id = ? AND device_id = ? AND key_id = ?";
    static final String SELECT_COUNTS = "SELECT algorithm, COUNT(*) FROM one_time_keys"
            + " WHERE user_id = ? AND device_id = ? GROUP BY algorithm ORDER BY algorithm";
    static final String SELECT_OLDEST = "SELECT id, key_id, key_json FROM one_time_keys"
            + " WHERE user_id = ? AND device_id = ? AND algorithm = ? ORDER BY id LIMIT 1";
    static final String DELETE = "DELETE FROM one_time_keys WHERE id = ?";

    private final TransactionScope scope;

    OneTimeKeysTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<OneTimeKey> get(String userId, String deviceId, String keyId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(keyId, "keyId");
        return scope.call("reading one-time key", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, keyId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new OneTimeKey(keyId, rows.getString(1))) : Optional.empty();
            }
        });
    }

    @Override
    public Map<String, Integer> counts(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("counting one-time keys", session -> {
            PreparedStatement statement = session.prepare(SELECT_COUNTS);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            Map<String, Integer> counts = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
            return counts;
        });
    }

    @Override
    public boolean add(String userId, String deviceId, OneTimeKey key) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(key, "key");
        return scope.call("adding one-time key", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, key.algorithm());
            statement.setString(4, key.keyId());
            statement.setString(5, key.keyJson());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<OneTimeKey> claim(String userId, String deviceId, String algorithm) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(algorithm, "algorithm");
        return scope.call("claiming one-time key", session -> {
            PreparedStatement select = session.prepare(SELECT_OLDEST);
            select.setString(1, userId);
            select.setString(2, deviceId);
            select.setString(3, algorithm);
            long id;
            OneTimeKey key;
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                id = rows.getLong(1);
                key = new OneTimeKey(rows.getString(2), rows.getString(3));
            }
            PreparedStatement delete = session.prepare(DELETE);
            delete.setLong(1, id);
            delete.executeUpdate();
            return Optional.of(key);
        });
    }
}
