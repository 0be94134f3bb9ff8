package dev.hyphae.store.sqlite;

import dev.hyphae.store.ProfileFields;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The profile_fields table: one row per field of a local user's profile. */
final class ProfileFieldsTable implements ProfileFields.Writer {
    static final String SCHEMA_V3 = """
            CREATE TABLE profile_fields (
                user_id TEXT NOT NULL REFERENCES accounts (user_id),
                field TEXT NOT NULL,
                value_json TEXT NOT NULL,
                PRIMARY KEY (user_id, field)
            ) WITHOUT ROWID""";

    static final String UPSERT = "INSERT INTO profile_fields (user_id, field, value_json) VALUES (?, ?, ?)"
            + " ON CONFLICT (user_id, field) DO UPDATE SET value_json = excluded.value_json";
    static final String SELECT = "SELECT value_json FROM profile_fields WHERE user_id = ? AND field = ?";
    static final String SELECT_USER = "SELECT field, value_json FROM profile_fields WHERE user_id = ? ORDER BY field";
    static final String DELETE = "DELETE FROM profile_fields WHERE user_id = ? AND field = ?";

    private final TransactionScope scope;

    ProfileFieldsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<String> get(String userId, String field) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(field, "field");
        return scope.call("reading profile field", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, field);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public Map<String, String> forUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading profile", session -> {
            PreparedStatement statement = session.prepare(SELECT_USER);
            statement.setString(1, userId);
            Map<String, String> fields = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    fields.put(rows.getString(1), rows.getString(2));
                }
            }
            return fields;
        });
    }

    @Override
    public void put(String userId, String field, String valueJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(valueJson, "valueJson");
        scope.call("writing profile field", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setString(2, field);
            statement.setString(3, valueJson);
            return statement.executeUpdate();
        });
    }

    @Override
    public boolean delete(String userId, String field) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(field, "field");
        return scope.call("deleting profile field", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, userId);
            statement.setString(2, field);
            return statement.executeUpdate() == 1;
        });
    }
}
