package dev.hyphae.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The prev-event edges of the room DAG. The target of an edge need not be stored: an event may
 * point to events this node has not fetched yet.
 */
final class EventEdgesTable {
    static final String SCHEMA_V1 = """
            CREATE TABLE event_edges (
                event_id TEXT NOT NULL REFERENCES events (event_id),
                prev_event_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (event_id, prev_event_id)
            ) WITHOUT ROWID""";
    static final String INDEX_PREV_V1 = "CREATE INDEX event_edges_prev ON event_edges (prev_event_id)";

    static final String INSERT = "INSERT INTO event_edges (event_id, prev_event_id, position) VALUES (?, ?, ?)"
            + " ON CONFLICT DO NOTHING";
    /** All edges of one event in one statement; a repeated target keeps its first position, as one by one. */
    static final String INSERT_MANY = "INSERT INTO event_edges (event_id, prev_event_id, position)"
            + " SELECT ?, value, key FROM json_each(?) WHERE true ORDER BY key ON CONFLICT DO NOTHING";
    static final String SELECT_PREV = "SELECT prev_event_id FROM event_edges WHERE event_id = ? ORDER BY position";

    private final TransactionScope scope;

    EventEdgesTable(TransactionScope scope) {
        this.scope = scope;
    }

    void insert(String eventId, List<String> prevEventIds) {
        scope.call("inserting event edges", session -> {
            if (prevEventIds.size() > 1) {
                PreparedStatement many = session.prepare(INSERT_MANY);
                many.setString(1, eventId);
                many.setString(2, SqlJsonArray.of(prevEventIds));
                many.executeUpdate();
                return null;
            }
            PreparedStatement statement = session.prepare(INSERT);
            for (int i = 0; i < prevEventIds.size(); i++) {
                statement.setString(1, eventId);
                statement.setString(2, prevEventIds.get(i));
                statement.setInt(3, i);
                statement.executeUpdate();
            }
            return null;
        });
    }

    List<String> prevEventIds(String eventId) {
        return scope.call("reading event edges", session -> {
            PreparedStatement statement = session.prepare(SELECT_PREV);
            statement.setString(1, eventId);
            List<String> prevs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    prevs.add(rows.getString(1));
                }
            }
            return prevs;
        });
    }
}
