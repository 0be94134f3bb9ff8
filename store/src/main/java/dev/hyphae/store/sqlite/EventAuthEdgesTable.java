package dev.hyphae.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The auth edges of events (their {@code auth_events}). Auth chains are walked in SQL with a
 * recursive query; {@code UNION} (not {@code UNION ALL}) visits each event once.
 */
final class EventAuthEdgesTable {
    static final String SCHEMA_V1 = """
            CREATE TABLE event_auth_edges (
                event_id TEXT NOT NULL REFERENCES events (event_id),
                auth_event_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (event_id, auth_event_id)
            ) WITHOUT ROWID""";

    static final String INSERT = "INSERT INTO event_auth_edges (event_id, auth_event_id, position) VALUES (?, ?, ?)"
            + " ON CONFLICT DO NOTHING";
    /** All edges of one event in one statement; a repeated target keeps its first position, as one by one. */
    static final String INSERT_MANY = "INSERT INTO event_auth_edges (event_id, auth_event_id, position)"
            + " SELECT ?, value, key FROM json_each(?) WHERE true ORDER BY key ON CONFLICT DO NOTHING";
    static final String SELECT_AUTH = "SELECT auth_event_id FROM event_auth_edges WHERE event_id = ? ORDER BY position";
    static final String SELECT_CHAIN = """
            WITH RECURSIVE chain (event_id) AS (
                SELECT a.auth_event_id FROM event_auth_edges a WHERE a.event_id IN (SELECT value FROM json_each(?))
                UNION
                SELECT a.auth_event_id FROM event_auth_edges a JOIN chain c ON a.event_id = c.event_id
            )
            SELECT event_id FROM chain""";

    private final TransactionScope scope;

    EventAuthEdgesTable(TransactionScope scope) {
        this.scope = scope;
    }

    void insert(String eventId, List<String> authEventIds) {
        scope.call("inserting auth edges", session -> {
            if (authEventIds.size() > 1) {
                PreparedStatement many = session.prepare(INSERT_MANY);
                many.setString(1, eventId);
                many.setString(2, SqlJsonArray.of(authEventIds));
                many.executeUpdate();
                return null;
            }
            PreparedStatement statement = session.prepare(INSERT);
            for (int i = 0; i < authEventIds.size(); i++) {
                statement.setString(1, eventId);
                statement.setString(2, authEventIds.get(i));
                statement.setInt(3, i);
                statement.executeUpdate();
            }
            return null;
        });
    }

    List<String> authEventIds(String eventId) {
        return scope.call("reading auth edges", session -> {
            PreparedStatement statement = session.prepare(SELECT_AUTH);
            statement.setString(1, eventId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    Set<String> authChain(Collection<String> eventIds) {
        return scope.call("walking auth chain", session -> {
            PreparedStatement statement = session.prepare(SELECT_CHAIN);
            statement.setString(1, SqlJsonArray.of(eventIds));
            Set<String> chain = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    chain.add(rows.getString(1));
                }
            }
            return chain;
        });
    }
}
