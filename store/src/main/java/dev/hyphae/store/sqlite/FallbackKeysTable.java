package dev.hyphae.store.sqlite;

import dev.hyphae.store.FallbackKey;
import dev.hyphae.store.FallbackKeys;
import dev.hyphae.store.OneTimeKey;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The fallback_keys table: one key per device and algorithm. */
final class FallbackKeysTable implements FallbackKeys.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE fallback_keys (
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                key_id TEXT NOT NULL,
                key_json TEXT NOT NULL,
                used INTEGER NOT NULL CHECK (used IN (0, 1)),
                PRIMARY KEY (user_id, device_id, algorithm),
                FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
            ) WITHOUT ROWID""";

    // Re-uploading the very same key must not make a used key look fresh again.
    static final String UPSERT = "INSERT INTO fallback_keys (user_id, device_id, algorithm, key_id, key_json, used)"
            + " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (user_id, device_id, algorithm) DO UPDATE SET"
            + " used = CASE WHEN key_id = excluded.key_id AND key_json = excluded.key_json THEN used ELSE 0 END,"
            + " key_id = excluded.key_id, key_json = excluded.key_json";
    static final String SELECT = "SELECT key_id, key_json, used FROM fallback_keys"
            + " WHERE user_id = ? AND device_id = ? AND algorithm = ?";
    static final String SELECT_UNUSED = "SELECT algorithm FROM fallback_keys"
            + " WHERE user_id = ? AND device_id = ? AND used = 0 ORDER BY algorithm";
    static final String MARK_USED = "UPDATE fallback_keys SET used = 1 WHERE user_id = ? AND device_id = ? AND algorithm = ?";

    private final TransactionScope scope;

    FallbackKeysTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<FallbackKey> get(String userId, String deviceId, String algorithm) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(algorithm, "algorithm");
        return scope.call("reading fallback key", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, algorithm);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new FallbackKey(new OneTimeKey(rows.getString(1), rows.getString(2)), rows.getInt(3) == 1))
                        : Optional.empty();
            }
        });
    }

    @Override
    public Set<String> unusedAlgorithms(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("listing unused fallback keys", session -> {
            PreparedStatement statement = session.prepare(SELECT_UNUSED);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            Set<String> algorithms = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    algorithms.add(rows.getString(1));
                }
            }
            return algorithms;
        });
    }

    @Override
    public void put(String userId, String deviceId, OneTimeKey key) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(key, "key");
        scope.call("storing fallback key", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, key.algorithm());
            statement.setString(4, key.keyId());
            statement.setString(5, key.keyJson());
            return statement.executeUpdate();
        });
    }

    @Override
    public boolean markUsed(String userId, String deviceId, String algorithm) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(algorithm, "algorithm");
        return scope.call("marking fallback key used", session -> {
            PreparedStatement statement = session.prepare(MARK_USED);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, algorithm);
            return statement.executeUpdate() == 1;
        });
    }
}
