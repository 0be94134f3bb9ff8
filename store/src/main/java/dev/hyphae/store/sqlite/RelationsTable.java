package dev.hyphae.store.sqlite;

import dev.hyphae.store.Relations;
import dev.hyphae.store.StoredRelation;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The event_relations table: one row per child event that relates to a parent. The child's type,
 * sender, stream ordering and timestamp are copied in, so that paging and aggregations read this
 * table alone (thread participation also looks at the root's sender in events).
 */
final class RelationsTable implements Relations.Writer {
    static final String SCHEMA_V9 = """
            CREATE TABLE event_relations (
                event_id TEXT NOT NULL PRIMARY KEY,
                room_id TEXT NOT NULL,
                parent_id TEXT NOT NULL,
                rel_type TEXT NOT NULL,
                event_type TEXT NOT NULL,
                sender TEXT NOT NULL,
                stream_ordering INTEGER NOT NULL,
                origin_server_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";
    static final String INDEX_PARENT_V9 =
            "CREATE INDEX event_relations_parent ON event_relations (parent_id, rel_type, stream_ordering)";
    static final String INDEX_ROOM_TYPE_V9 =
            "CREATE INDEX event_relations_room_type ON event_relations (room_id, rel_type, stream_ordering)";

    static final String COLUMNS = "event_id, room_id, parent_id, rel_type, event_type, sender, stream_ordering,"
            + " origin_server_ts";
    static final String INSERT = "INSERT INTO event_relations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (event_id) DO NOTHING";
    static final String DELETE = "DELETE FROM event_relations WHERE event_id = ?";
    static final String SELECT = "SELECT " + COLUMNS + " FROM event_relations WHERE event_id = ?";
    static final String CHILDREN = "SELECT " + COLUMNS + " FROM event_relations WHERE parent_id = ?"
            + " AND (?2 IS NULL OR rel_type = ?2) AND (?3 IS NULL OR event_type = ?3)"
            + " AND stream_ordering > ?4 AND stream_ordering < ?5";
    static final String CHILDREN_FORWARDS = CHILDREN + " ORDER BY stream_ordering ASC LIMIT ?6";
    static final String CHILDREN_BACKWARDS = CHILDREN + " ORDER BY stream_ordering DESC LIMIT ?6";
    static final String COUNT = "SELECT COUNT(*) FROM event_relations WHERE parent_id = ? AND rel_type = ?";
    static final String HAS_CHILD_FROM = "SELECT 1 FROM event_relations WHERE parent_id = ? AND rel_type = ?"
            + " AND sender = ? LIMIT 1";
    static final String LATEST_CHILDREN = "SELECT " + COLUMNS + ", MAX(stream_ordering) FROM event_relations"
            + " WHERE parent_id IN (SELECT value FROM json_each(?)) AND rel_type = ? GROUP BY parent_id";
    static final String LATEST_FROM = "SELECT " + COLUMNS + " FROM event_relations WHERE parent_id = ?"
            + " AND rel_type = ? AND sender = ? AND event_type = ?"
            + " ORDER BY origin_server_ts DESC, event_id DESC LIMIT 1";
    // SQLite's bare-column rule: with MAX() the other columns come from the row holding the maximum.
    static final String THREADS = "SELECT " + COLUMNS + ", MAX(stream_ordering) AS latest FROM event_relations r"
            + " WHERE room_id = ?1 AND rel_type = 'm.thread' GROUP BY parent_id HAVING latest < ?3"
            + " AND (?2 IS NULL OR SUM(sender = ?2) > 0"
            + " OR EXISTS (SELECT 1 FROM events e WHERE e.event_id = r.parent_id AND e.sender = ?2))"
            + " ORDER BY latest DESC LIMIT ?4";

    private final TransactionScope scope;

    RelationsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredRelation> get(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("reading relation", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, eventId);
            List<StoredRelation> found = list(statement);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<StoredRelation> children(String parentId, String relType, String eventType, long after, long before,
            boolean forwards, int limit) {
        Objects.requireNonNull(parentId, "parentId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return scope.call("reading child events", session -> {
            PreparedStatement statement = session.prepare(forwards ? CHILDREN_FORWARDS : CHILDREN_BACKWARDS);
            statement.setString(1, parentId);
            statement.setString(2, relType);
            statement.setString(3, eventType);
            statement.setLong(4, after);
            statement.setLong(5, before);
            statement.setInt(6, limit);
            return list(statement);
        });
    }

    @Override
    public long count(String parentId, String relType) {
        return scope.call("counting child events", session -> {
            PreparedStatement statement = session.prepare(COUNT);
            statement.setString(1, Objects.requireNonNull(parentId, "parentId"));
            statement.setString(2, Objects.requireNonNull(relType, "relType"));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public boolean hasChildFrom(String parentId, String relType, String sender) {
        return scope.call("reading child events of a sender", session -> {
            PreparedStatement statement = session.prepare(HAS_CHILD_FROM);
            statement.setString(1, Objects.requireNonNull(parentId, "parentId"));
            statement.setString(2, Objects.requireNonNull(relType, "relType"));
            statement.setString(3, Objects.requireNonNull(sender, "sender"));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    @Override
    public Map<String, StoredRelation> latestChildren(Collection<String> parentIds, String relType) {
        Objects.requireNonNull(relType, "relType");
        if (parentIds.isEmpty()) {
            return Map.of();
        }
        return scope.call("reading latest child events", session -> {
            PreparedStatement statement = session.prepare(LATEST_CHILDREN);
            statement.setString(1, SqlJsonArray.of(parentIds));
            statement.setString(2, relType);
            Map<String, StoredRelation> latest = new LinkedHashMap<>();
            for (StoredRelation relation : list(statement)) {
                latest.put(relation.parentId(), relation);
            }
            return latest;
        });
    }

    @Override
    public Optional<StoredRelation> latestFrom(String parentId, String relType, String sender, String eventType) {
        return scope.call("reading latest child event of a sender", session -> {
            PreparedStatement statement = session.prepare(LATEST_FROM);
            statement.setString(1, Objects.requireNonNull(parentId, "parentId"));
            statement.setString(2, Objects.requireNonNull(relType, "relType"));
            statement.setString(3, Objects.requireNonNull(sender, "sender"));
            statement.setString(4, Objects.requireNonNull(eventType, "eventType"));
            List<StoredRelation> found = list(statement);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<StoredRelation> threads(String roomId, String participant, long before, int limit) {
        Objects.requireNonNull(roomId, "roomId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return scope.call("reading thread roots", session -> {
            PreparedStatement statement = session.prepare(THREADS);
            statement.setString(1, roomId);
            statement.setString(2, participant);
            statement.setLong(3, before);
            statement.setInt(4, limit);
            return list(statement);
        });
    }

    @Override
    public boolean add(StoredRelation relation) {
        Objects.requireNonNull(relation, "relation");
        return scope.call("storing relation", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, relation.eventId());
            statement.setString(2, relation.roomId());
            statement.setString(3, relation.parentId());
            statement.setString(4, relation.relType());
            statement.setString(5, relation.eventType());
            statement.setString(6, relation.sender());
            statement.setLong(7, relation.streamOrdering());
            statement.setLong(8, relation.originServerTs());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean remove(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("removing relation", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, eventId);
            return statement.executeUpdate() == 1;
        });
    }

    private static List<StoredRelation> list(PreparedStatement statement) throws SQLException {
        List<StoredRelation> relations = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                relations.add(new StoredRelation(rows.getString("event_id"), rows.getString("room_id"),
                        rows.getString("parent_id"), rows.getString("rel_type"), rows.getString("event_type"),
                        rows.getString("sender"), rows.getLong("stream_ordering"), rows.getLong("origin_server_ts")));
            }
        }
        return relations;
    }
}
