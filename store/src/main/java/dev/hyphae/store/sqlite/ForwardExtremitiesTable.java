package dev.hyphae.store.sqlite;

import dev.hyphae.store.ForwardExtremities;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** The forward_extremities table. */
final class ForwardExtremitiesTable implements ForwardExtremities.Writer {
    static final String SCHEMA_V1 = """
            CREATE TABLE forward_extremities (
                room_id TEXT NOT NULL REFERENCES rooms (room_id),
                event_id TEXT NOT NULL REFERENCES events (event_id),
                PRIMARY KEY (room_id, event_id)
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT event_id FROM forward_extremities WHERE room_id = ? ORDER BY event_id";
    static final String INSERT = "INSERT INTO forward_extremities (room_id, event_id) VALUES (?, ?)"
            + " ON CONFLICT DO NOTHING";
    static final String DELETE_ONE = "DELETE FROM forward_extremities WHERE room_id = ? AND event_id = ?";
    static final String DELETE_ROOM = "DELETE FROM forward_extremities WHERE room_id = ?";

    private final TransactionScope scope;

    ForwardExtremitiesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Set<String> get(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading forward extremities", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, roomId);
            Set<String> eventIds = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    eventIds.add(rows.getString(1));
                }
            }
            return eventIds;
        });
    }

    @Override
    public void replace(String roomId, Set<String> eventIds) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(eventIds, "eventIds");
        scope.call("replacing forward extremities", session -> {
            PreparedStatement delete = session.prepare(DELETE_ROOM);
            delete.setString(1, roomId);
            delete.executeUpdate();
            insert(session, roomId, eventIds);
            return null;
        });
    }

    @Override
    public void advance(String roomId, String newEventId, Collection<String> prevEventIds) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(newEventId, "newEventId");
        Objects.requireNonNull(prevEventIds, "prevEventIds");
        scope.call("advancing forward extremities", session -> {
            PreparedStatement delete = session.prepare(DELETE_ONE);
            for (String prev : prevEventIds) {
                delete.setString(1, roomId);
                delete.setString(2, prev);
                delete.executeUpdate();
            }
            insert(session, roomId, Set.of(newEventId));
            return null;
        });
    }

    private static void insert(SqliteSession session, String roomId, Collection<String> eventIds)
            throws java.sql.SQLException {
        PreparedStatement insert = session.prepare(INSERT);
        for (String eventId : eventIds) {
            insert.setString(1, roomId);
            insert.setString(2, eventId);
            insert.executeUpdate();
        }
    }
}
