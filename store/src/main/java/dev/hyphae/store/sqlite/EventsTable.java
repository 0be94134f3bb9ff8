package dev.hyphae.store.sqlite;

import dev.hyphae.store.EventInsertion;
import dev.hyphae.store.Events;
import dev.hyphae.store.NewEvent;
import dev.hyphae.store.StoreException;
import dev.hyphae.store.StoredEvent;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The events table: the JSON text of each event plus the columns it is looked up by. The stream
 * ordering is taken as the current maximum plus one inside the write transaction; with a single
 * writer this makes it strictly increasing in commit order.
 */
final class EventsTable implements Events.Writer {
    static final String SCHEMA_V1 = """
            CREATE TABLE events (
                event_id TEXT NOT NULL PRIMARY KEY,
                stream_ordering INTEGER NOT NULL UNIQUE,
                room_id TEXT NOT NULL REFERENCES rooms (room_id),
                type TEXT NOT NULL,
                state_key TEXT,
                sender TEXT NOT NULL,
                depth INTEGER NOT NULL,
                origin_server_ts INTEGER NOT NULL,
                json TEXT NOT NULL,
                outlier INTEGER NOT NULL CHECK (outlier IN (0, 1)),
                rejection_reason TEXT
            )""";
    static final String INDEX_ROOM_STREAM_V1 = "CREATE INDEX events_room_stream ON events (room_id, stream_ordering)";
    static final String INDEX_ROOM_DEPTH_V1 = "CREATE INDEX events_room_depth ON events (room_id, depth)";

    static final String COLUMNS = "stream_ordering, event_id, room_id, type, state_key, sender, depth,"
            + " origin_server_ts, json, outlier, rejection_reason";
    static final String NEXT_STREAM_ORDERING = "(SELECT COALESCE(MAX(stream_ordering), 0) + 1 FROM events)";
    static final String INSERT = "INSERT INTO events (" + COLUMNS + ") VALUES (" + NEXT_STREAM_ORDERING
            + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";
    /** {@link #INSERT} telling the new stream ordering in the same statement; no row for a duplicate. */
    static final String INSERT_RETURNING = INSERT + " RETURNING stream_ordering";
    static final String SELECT = "SELECT " + COLUMNS + " FROM events WHERE event_id = ?";
    static final String SELECT_MANY = "SELECT " + COLUMNS + " FROM events"
            + " WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY stream_ordering";
    static final String EXISTS = "SELECT 1 FROM events WHERE event_id = ?";
    static final String TIMELINE = "outlier = 0 AND rejection_reason IS NULL";
    static final String SELECT_ROOM_AFTER = "SELECT " + COLUMNS + " FROM events WHERE room_id = ?"
            + " AND stream_ordering > ? AND " + TIMELINE + " ORDER BY stream_ordering ASC LIMIT ?";
    static final String SELECT_ROOM_BEFORE = "SELECT " + COLUMNS + " FROM events WHERE room_id = ?"
            + " AND stream_ordering < ? AND " + TIMELINE + " ORDER BY stream_ordering DESC LIMIT ?";
    static final String SELECT_ALL_AFTER = "SELECT " + COLUMNS + " FROM events WHERE stream_ordering > ?"
            + " AND " + TIMELINE + " ORDER BY stream_ordering ASC LIMIT ?";
    static final String SELECT_MAX_STREAM_ORDERING = "SELECT COALESCE(MAX(stream_ordering), 0) FROM events";
    static final String SELECT_BACKWARD_EXTREMITIES = "SELECT DISTINCT e.prev_event_id FROM events ev"
            + " JOIN event_edges e ON e.event_id = ev.event_id WHERE ev.room_id = ? AND ev.outlier = 0"
            + " AND NOT EXISTS (SELECT 1 FROM events x WHERE x.event_id = e.prev_event_id) ORDER BY e.prev_event_id";
    static final String UPDATE_JSON = "UPDATE events SET json = ? WHERE event_id = ?";
    static final String UPDATE_REJECTION = "UPDATE events SET rejection_reason = ? WHERE event_id = ?";
    static final String UPDATE_NOT_OUTLIER = "UPDATE events SET outlier = 0, stream_ordering = "
            + NEXT_STREAM_ORDERING + " WHERE event_id = ? AND outlier = 1";

    private final TransactionScope scope;
    private final EventEdgesTable edges;
    private final EventAuthEdgesTable authEdges;

    EventsTable(TransactionScope scope) {
        this.scope = scope;
        this.edges = new EventEdgesTable(scope);
        this.authEdges = new EventAuthEdgesTable(scope);
    }

    @Override
    public Optional<StoredEvent> get(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("reading event", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(event(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public Map<String, StoredEvent> getAll(Collection<String> eventIds) {
        Objects.requireNonNull(eventIds, "eventIds");
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        return scope.call("reading events", session -> {
            PreparedStatement statement = session.prepare(SELECT_MANY);
            statement.setString(1, SqlJsonArray.of(eventIds));
            Map<String, StoredEvent> found = new LinkedHashMap<>();
            for (StoredEvent event : events(statement)) {
                found.put(event.eventId(), event);
            }
            return found;
        });
    }

    @Override
    public boolean exists(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("checking event", session -> {
            PreparedStatement statement = session.prepare(EXISTS);
            statement.setString(1, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    @Override
    public List<String> prevEventIds(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return edges.prevEventIds(eventId);
    }

    @Override
    public List<String> authEventIds(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return authEdges.authEventIds(eventId);
    }

    @Override
    public Set<String> authChain(Collection<String> eventIds) {
        Objects.requireNonNull(eventIds, "eventIds");
        return eventIds.isEmpty() ? Set.of() : authEdges.authChain(eventIds);
    }

    @Override
    public List<StoredEvent> roomEventsAfter(String roomId, long after, int limit) {
        return roomEvents(SELECT_ROOM_AFTER, roomId, after, limit);
    }

    @Override
    public List<StoredEvent> roomEventsBefore(String roomId, long before, int limit) {
        return roomEvents(SELECT_ROOM_BEFORE, roomId, before, limit);
    }

    private List<StoredEvent> roomEvents(String sql, String roomId, long bound, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        requirePositive(limit);
        return scope.call("reading room timeline", session -> {
            PreparedStatement statement = session.prepare(sql);
            statement.setString(1, roomId);
            statement.setLong(2, bound);
            statement.setInt(3, limit);
            return events(statement);
        });
    }

    @Override
    public List<StoredEvent> eventsAfter(long after, int limit) {
        requirePositive(limit);
        return scope.call("reading event stream", session -> {
            PreparedStatement statement = session.prepare(SELECT_ALL_AFTER);
            statement.setLong(1, after);
            statement.setInt(2, limit);
            return events(statement);
        });
    }

    @Override
    public Set<String> backwardExtremities(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading backward extremities", session -> {
            PreparedStatement statement = session.prepare(SELECT_BACKWARD_EXTREMITIES);
            statement.setString(1, roomId);
            Set<String> missing = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getString(1));
                }
            }
            return missing;
        });
    }

    @Override
    public long maxStreamOrdering() {
        return scope.call("reading stream position", session -> {
            try (ResultSet rows = session.prepare(SELECT_MAX_STREAM_ORDERING).executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public EventInsertion insert(NewEvent event) {
        Objects.requireNonNull(event, "event");
        long streamOrdering = scope.call("inserting event " + event.eventId(), session -> {
            PreparedStatement statement = session.prepare(INSERT_RETURNING);
            statement.setString(1, event.eventId());
            statement.setString(2, event.roomId());
            statement.setString(3, event.type());
            TransactionScope.setNullableString(statement, 4, event.stateKey());
            statement.setString(5, event.sender());
            statement.setLong(6, event.depth());
            statement.setLong(7, event.originServerTs());
            statement.setString(8, event.json());
            statement.setInt(9, event.outlier() ? 1 : 0);
            TransactionScope.setNullableString(statement, 10, event.rejectionReason());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1L;
            }
        });
        if (streamOrdering < 0) {
            return new EventInsertion.Duplicate(get(event.eventId())
                    .orElseThrow(() -> new StoreException("event " + event.eventId() + " vanished while inserting")));
        }
        edges.insert(event.eventId(), event.prevEventIds());
        authEdges.insert(event.eventId(), event.authEventIds());
        return new EventInsertion.Inserted(streamOrdering);
    }

    @Override
    public boolean replaceJson(String eventId, String json) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) {
            throw new IllegalArgumentException("json must not be blank");
        }
        return scope.call("replacing event json", session -> {
            PreparedStatement statement = session.prepare(UPDATE_JSON);
            statement.setString(1, json);
            statement.setString(2, eventId);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean reject(String eventId, String reason) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a rejection reason must say why");
        }
        return scope.call("rejecting event", session -> {
            PreparedStatement statement = session.prepare(UPDATE_REJECTION);
            statement.setString(1, reason);
            statement.setString(2, eventId);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean markNotOutlier(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("de-outliering event", session -> {
            PreparedStatement statement = session.prepare(UPDATE_NOT_OUTLIER);
            statement.setString(1, eventId);
            return statement.executeUpdate() == 1;
        });
    }

    private static void requirePositive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    private static List<StoredEvent> events(PreparedStatement statement) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                events.add(event(rows));
            }
        }
        return events;
    }

    private static StoredEvent event(ResultSet rows) throws SQLException {
        return new StoredEvent(
                rows.getLong("stream_ordering"),
                rows.getString("event_id"),
                rows.getString("room_id"),
                rows.getString("type"),
                rows.getString("state_key"),
                rows.getString("sender"),
                rows.getLong("depth"),
                rows.getLong("origin_server_ts"),
                rows.getString("json"),
                rows.getInt("outlier") == 1,
                rows.getString("rejection_reason"));
    }
}
