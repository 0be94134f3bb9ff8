package dev.hyphae.store.sqlite;

import dev.hyphae.store.Redactions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The redactions table: one row per (redaction event, redacted event), pending until applied. Rows
 * keep IDs only; the redacted content itself is gone from the events table once applied.
 */
final class RedactionsTable implements Redactions.Writer {
    static final String SCHEMA_V9 = """
            CREATE TABLE redactions (
                redaction_event_id TEXT NOT NULL,
                redacted_event_id TEXT NOT NULL,
                room_id TEXT NOT NULL,
                applied INTEGER NOT NULL CHECK (applied IN (0, 1)),
                received INTEGER NOT NULL,
                PRIMARY KEY (redaction_event_id, redacted_event_id)
            ) WITHOUT ROWID""";
    static final String INDEX_REDACTED_V9 = "CREATE INDEX redactions_redacted ON redactions (redacted_event_id)";

    static final String INSERT = "INSERT INTO redactions (redaction_event_id, redacted_event_id, room_id, applied,"
            + " received) VALUES (?, ?, ?, 0, (SELECT COALESCE(MAX(received), 0) + 1 FROM redactions))"
            + " ON CONFLICT DO NOTHING";
    static final String MARK_APPLIED = "UPDATE redactions SET applied = 1"
            + " WHERE redaction_event_id = ? AND redacted_event_id = ?";
    static final String PENDING = "SELECT redaction_event_id FROM redactions WHERE redacted_event_id = ?"
            + " AND applied = 0 ORDER BY received";
    static final String APPLIED_TO = "SELECT redacted_event_id, redaction_event_id, MIN(received) FROM redactions"
            + " WHERE redacted_event_id IN (SELECT value FROM json_each(?)) AND applied = 1 GROUP BY redacted_event_id";
    static final String APPLIED = "SELECT DISTINCT redaction_event_id FROM redactions"
            + " WHERE redaction_event_id IN (SELECT value FROM json_each(?)) AND applied = 1";

    private final TransactionScope scope;

    RedactionsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public List<String> pendingFor(String redactedEventId) {
        Objects.requireNonNull(redactedEventId, "redactedEventId");
        return scope.call("reading pending redactions", session -> {
            PreparedStatement statement = session.prepare(PENDING);
            statement.setString(1, redactedEventId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    @Override
    public Map<String, String> appliedTo(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        return scope.call("reading applied redactions", session -> {
            PreparedStatement statement = session.prepare(APPLIED_TO);
            statement.setString(1, SqlJsonArray.of(eventIds));
            Map<String, String> redactions = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    redactions.put(rows.getString(1), rows.getString(2));
                }
            }
            return redactions;
        });
    }

    @Override
    public List<String> applied(Collection<String> redactionEventIds) {
        if (redactionEventIds.isEmpty()) {
            return List.of();
        }
        return scope.call("reading applied redaction events", session -> {
            PreparedStatement statement = session.prepare(APPLIED);
            statement.setString(1, SqlJsonArray.of(redactionEventIds));
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    @Override
    public void addPending(String redactionEventId, String redactedEventId, String roomId) {
        Objects.requireNonNull(redactionEventId, "redactionEventId");
        Objects.requireNonNull(redactedEventId, "redactedEventId");
        Objects.requireNonNull(roomId, "roomId");
        if (redactionEventId.isBlank() || redactedEventId.isBlank()) {
            throw new IllegalArgumentException("a redaction needs both event IDs");
        }
        scope.call("storing redaction", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, redactionEventId);
            statement.setString(2, redactedEventId);
            statement.setString(3, roomId);
            return statement.executeUpdate();
        });
    }

    @Override
    public boolean markApplied(String redactionEventId, String redactedEventId) {
        return scope.call("applying redaction", session -> {
            PreparedStatement statement = session.prepare(MARK_APPLIED);
            statement.setString(1, Objects.requireNonNull(redactionEventId, "redactionEventId"));
            statement.setString(2, Objects.requireNonNull(redactedEventId, "redactedEventId"));
            return statement.executeUpdate() == 1;
        });
    }
}
