package dev.hyphae.store.sqlite;

import dev.hyphae.store.EventSearch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The event_search FTS5 table with its companion event_search_entries (the columns searches are
 * narrowed by) and event_search_position (how far the event stream has been indexed).
 */
final class EventSearchTable implements EventSearch.Writer {
    static final String SCHEMA_V11 = """
            CREATE VIRTUAL TABLE event_search USING fts5 (
                text,
                tokenize = 'unicode61 remove_diacritics 2'
            )""";
    static final String ENTRIES_SCHEMA_V11 = """
            CREATE TABLE event_search_entries (
                search_rowid INTEGER NOT NULL PRIMARY KEY,
                event_id TEXT NOT NULL UNIQUE,
                room_id TEXT NOT NULL,
                sender TEXT NOT NULL,
                type TEXT NOT NULL,
                stream_ordering INTEGER NOT NULL
            )""";
    static final String INDEX_ENTRIES_ROOM_V11 =
            "CREATE INDEX event_search_entries_room ON event_search_entries (room_id, stream_ordering)";
    static final String POSITION_SCHEMA_V11 = """
            CREATE TABLE event_search_position (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 0),
                indexed_up_to INTEGER NOT NULL
            )""";

    static final String SELECT_POSITION = "SELECT indexed_up_to FROM event_search_position WHERE id = 0";
    static final String UPSERT_POSITION = "INSERT INTO event_search_position (id, indexed_up_to) VALUES (0, ?)"
            + " ON CONFLICT (id) DO UPDATE SET indexed_up_to = excluded.indexed_up_to";
    static final String SELECT_ROWID = "SELECT search_rowid FROM event_search_entries WHERE event_id = ?";
    static final String DELETE_TEXT = "DELETE FROM event_search WHERE rowid = ?";
    static final String DELETE_ENTRY = "DELETE FROM event_search_entries WHERE search_rowid = ?";
    static final String INSERT_TEXT = "INSERT INTO event_search (text) VALUES (?)";
    static final String INSERT_ENTRY = "INSERT INTO event_search_entries"
            + " (search_rowid, event_id, room_id, sender, type, stream_ordering) VALUES (last_insert_rowid(), ?, ?, ?, ?, ?)";

    /**
     * The narrowing shared by searches and counts. Parameters: the MATCH expression, the rooms as
     * a JSON object of room ID to greatest stream ordering, the types as a JSON array, whether to
     * filter senders (0/1), the senders as a JSON array, the exclusive upper stream ordering.
     */
    static final String MATCHING = " FROM event_search"
            + " JOIN event_search_entries e ON e.search_rowid = event_search.rowid"
            + " JOIN json_each(?2) r ON r.key = e.room_id"
            + " JOIN events ev ON ev.event_id = e.event_id"
            + " WHERE event_search MATCH ?1"
            + " AND e.stream_ordering <= r.value"
            + " AND e.type IN (SELECT value FROM json_each(?3))"
            + " AND (?4 = 0 OR e.sender IN (SELECT value FROM json_each(?5)))"
            + " AND e.stream_ordering < ?6"
            + " AND ev.outlier = 0 AND ev.rejection_reason IS NULL";
    static final String SEARCH_BY_RANK = "SELECT e.event_id, e.room_id, e.stream_ordering, bm25(event_search)"
            + MATCHING + " ORDER BY bm25(event_search) ASC, e.stream_ordering DESC LIMIT ?7 OFFSET ?8";
    static final String SEARCH_BY_RECENT = "SELECT e.event_id, e.room_id, e.stream_ordering, bm25(event_search)"
            + MATCHING + " ORDER BY e.stream_ordering DESC LIMIT ?7 OFFSET ?8";
    static final String COUNT = "SELECT COUNT(*)" + MATCHING;

    private final TransactionScope scope;

    EventSearchTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public long indexedUpTo() {
        return scope.call("reading the search index position", session -> {
            try (ResultSet rows = session.prepare(SELECT_POSITION).executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<SearchHit> search(SearchQuery query, int offset, int limit) {
        Objects.requireNonNull(query, "query");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        if (query.rooms().isEmpty() || query.types().isEmpty() || limit == 0) {
            return List.of();
        }
        return scope.call("searching events", session -> {
            PreparedStatement statement = session.prepare(
                    query.order() == Order.RANK ? SEARCH_BY_RANK : SEARCH_BY_RECENT);
            bind(statement, query);
            statement.setInt(7, limit);
            statement.setInt(8, offset);
            List<SearchHit> hits = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // bm25 is smaller for better matches; the spec's rank is higher for them.
                    hits.add(new SearchHit(rows.getString(1), rows.getString(2), rows.getLong(3), -rows.getDouble(4)));
                }
            }
            return hits;
        });
    }

    @Override
    public long count(SearchQuery query) {
        Objects.requireNonNull(query, "query");
        if (query.rooms().isEmpty() || query.types().isEmpty()) {
            return 0;
        }
        return scope.call("counting search results", session -> {
            PreparedStatement statement = session.prepare(COUNT);
            bind(statement, query);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public boolean contains(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("reading search entry", session -> rowid(session, eventId) != null);
    }

    @Override
    public void index(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        scope.call("indexing event", session -> {
            removeEntry(session, entry.eventId());
            PreparedStatement text = session.prepare(INSERT_TEXT);
            text.setString(1, entry.text());
            text.executeUpdate();
            PreparedStatement insert = session.prepare(INSERT_ENTRY);
            insert.setString(1, entry.eventId());
            insert.setString(2, entry.roomId());
            insert.setString(3, entry.sender());
            insert.setString(4, entry.type());
            insert.setLong(5, entry.streamOrdering());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean remove(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return scope.call("removing search entry", session -> removeEntry(session, eventId));
    }

    @Override
    public void setIndexedUpTo(long streamOrdering) {
        scope.call("writing the search index position", session -> {
            PreparedStatement statement = session.prepare(UPSERT_POSITION);
            statement.setLong(1, streamOrdering);
            statement.executeUpdate();
            return null;
        });
    }

    private static boolean removeEntry(SqliteSession session, String eventId) throws SQLException {
        Long rowid = rowid(session, eventId);
        if (rowid == null) {
            return false;
        }
        for (String sql : List.of(DELETE_TEXT, DELETE_ENTRY)) {
            PreparedStatement delete = session.prepare(sql);
            delete.setLong(1, rowid);
            delete.executeUpdate();
        }
        return true;
    }

    private static Long rowid(SqliteSession session, String eventId) throws SQLException {
        PreparedStatement statement = session.prepare(SELECT_ROWID);
        statement.setString(1, eventId);
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getLong(1) : null;
        }
    }

    private static void bind(PreparedStatement statement, SearchQuery query) throws SQLException {
        statement.setString(1, matchExpression(query.terms()));
        statement.setString(2, roomsJson(query.rooms()));
        statement.setString(3, SqlJsonArray.of(query.types()));
        statement.setInt(4, query.senders().isPresent() ? 1 : 0);
        statement.setString(5, SqlJsonArray.of(query.senders().orElse(java.util.Set.of())));
        statement.setLong(6, query.before().orElse(Long.MAX_VALUE));
    }

    /** Each term as an FTS5 string (so that no character of it is query syntax), all required. */
    static String matchExpression(List<String> terms) {
        StringBuilder expression = new StringBuilder();
        for (String term : terms) {
            if (!expression.isEmpty()) {
                expression.append(" AND ");
            }
            expression.append('"').append(term.replace("\"", "\"\"")).append('"');
        }
        return expression.toString();
    }

    private static String roomsJson(Map<String, Long> rooms) {
        // A JSON object of room ID to stream ordering, built from the array encoding of the keys.
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Long> room : rooms.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            String key = SqlJsonArray.of(List.of(room.getKey()));
            json.append(key, 1, key.length() - 1).append(':').append(room.getValue());
        }
        return json.append('}').toString();
    }
}
