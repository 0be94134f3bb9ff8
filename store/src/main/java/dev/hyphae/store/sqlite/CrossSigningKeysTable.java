package dev.hyphae.store.sqlite;

import dev.hyphae.store.CrossSigningKeys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The cross_signing_keys table: one current key per user and usage. */
final class CrossSigningKeysTable implements CrossSigningKeys.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE cross_signing_keys (
                user_id TEXT NOT NULL,
                usage TEXT NOT NULL CHECK (usage IN ('MASTER', 'SELF_SIGNING', 'USER_SIGNING')),
                key_json TEXT NOT NULL,
                PRIMARY KEY (user_id, usage)
            ) WITHOUT ROWID""";

    static final String UPSERT = "INSERT INTO cross_signing_keys (user_id, usage, key_json) VALUES (?, ?, ?)"
            + " ON CONFLICT (user_id, usage) DO UPDATE SET key_json = excluded.key_json";
    static final String SELECT = "SELECT key_json FROM cross_signing_keys WHERE user_id = ? AND usage = ?";

    private final TransactionScope scope;

    CrossSigningKeysTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<String> get(String userId, Usage usage) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(usage, "usage");
        return scope.call("reading cross-signing key", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, usage.name());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void put(String userId, Usage usage, String keyJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(keyJson, "keyJson");
        scope.call("storing cross-signing key", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setString(2, usage.name());
            statement.setString(3, keyJson);
            return statement.executeUpdate();
        });
    }
}
