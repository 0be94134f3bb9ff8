package dev.hyphae.store.sqlite;

import dev.hyphae.store.PushRules;
import dev.hyphae.store.StoredPushRule;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The push_rules table: user-defined rules and users' changes to server-default rules. */
final class PushRulesTable implements PushRules.Writer {
    static final String SCHEMA_V3 = """
            CREATE TABLE push_rules (
                user_id TEXT NOT NULL REFERENCES accounts (user_id),
                kind TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                rule_json TEXT NOT NULL,
                PRIMARY KEY (user_id, kind, rule_id)
            ) WITHOUT ROWID""";

    static final String COLUMNS = "user_id, kind, rule_id, position, enabled, rule_json";
    static final String UPSERT = "INSERT INTO push_rules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (user_id, kind, rule_id) DO UPDATE SET position = excluded.position,"
            + " enabled = excluded.enabled, rule_json = excluded.rule_json";
    static final String SELECT = "SELECT " + COLUMNS + " FROM push_rules WHERE user_id = ? AND kind = ? AND rule_id = ?";
    static final String SELECT_USER = "SELECT " + COLUMNS + " FROM push_rules WHERE user_id = ?"
            + " ORDER BY kind, position, rule_id";
    static final String DELETE = "DELETE FROM push_rules WHERE user_id = ? AND kind = ? AND rule_id = ?";

    private final TransactionScope scope;

    PushRulesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredPushRule> get(String userId, String kind, String ruleId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ruleId, "ruleId");
        return scope.call("reading push rule", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, kind);
            statement.setString(3, ruleId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rule(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<StoredPushRule> forUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading push rules", session -> {
            PreparedStatement statement = session.prepare(SELECT_USER);
            statement.setString(1, userId);
            List<StoredPushRule> rules = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rules.add(rule(rows));
                }
            }
            return rules;
        });
    }

    @Override
    public void put(StoredPushRule rule) {
        Objects.requireNonNull(rule, "rule");
        scope.call("writing push rule", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, rule.userId());
            statement.setString(2, rule.kind());
            statement.setString(3, rule.ruleId());
            statement.setLong(4, rule.position());
            statement.setInt(5, rule.enabled() ? 1 : 0);
            statement.setString(6, rule.ruleJson());
            return statement.executeUpdate();
        });
    }

    @Override
    public boolean delete(String userId, String kind, String ruleId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ruleId, "ruleId");
        return scope.call("deleting push rule", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, userId);
            statement.setString(2, kind);
            statement.setString(3, ruleId);
            return statement.executeUpdate() == 1;
        });
    }

    private static StoredPushRule rule(ResultSet rows) throws SQLException {
        return new StoredPushRule(rows.getString("user_id"), rows.getString("kind"), rows.getString("rule_id"),
                rows.getLong("position"), rows.getInt("enabled") == 1, rows.getString("rule_json"));
    }
}
