package dev.hyphae.store.sqlite;

import dev.hyphae.store.StateTuple;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The entries of each state group: for a full snapshot the whole state, for a delta the changed
 * tuples, where a null event ID means the tuple was removed. Reading a group walks its parent
 * chain and lets nearer groups override farther ones.
 */
final class StateGroupEntriesTable {
    static final String SCHEMA_V1 = """
            CREATE TABLE state_group_entries (
                group_id INTEGER NOT NULL REFERENCES state_groups (group_id),
                type TEXT NOT NULL,
                state_key TEXT NOT NULL,
                event_id TEXT,
                PRIMARY KEY (group_id, type, state_key)
            ) WITHOUT ROWID""";

    static final String INSERT = "INSERT INTO state_group_entries (group_id, type, state_key, event_id)"
            + " VALUES (?, ?, ?, ?)";
    static final String CHAIN = """
            WITH RECURSIVE chain (group_id, parent_group_id, distance) AS (
                SELECT group_id, parent_group_id, 0 FROM state_groups WHERE group_id = ?
                UNION ALL
                SELECT g.group_id, g.parent_group_id, c.distance + 1
                FROM state_groups g JOIN chain c ON g.group_id = c.parent_group_id
            )
            """;
    /** Farthest group first, so that applying rows in order leaves the nearest value. */
    static final String SELECT_STATE = CHAIN
            + "SELECT e.type, e.state_key, e.event_id FROM chain c"
            + " JOIN state_group_entries e ON e.group_id = c.group_id ORDER BY c.distance DESC";
    static final String SELECT_TUPLE = CHAIN
            + "SELECT e.event_id FROM chain c JOIN state_group_entries e ON e.group_id = c.group_id"
            + " WHERE e.type = ? AND e.state_key = ? ORDER BY c.distance ASC LIMIT 1";

    private final TransactionScope scope;

    StateGroupEntriesTable(TransactionScope scope) {
        this.scope = scope;
    }

    /** Stores entries; a null value records a removal. */
    void insert(long groupId, Map<StateTuple, String> entries) {
        scope.call("inserting state entries", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            for (Map.Entry<StateTuple, String> entry : entries.entrySet()) {
                statement.setLong(1, groupId);
                statement.setString(2, entry.getKey().type());
                statement.setString(3, entry.getKey().stateKey());
                TransactionScope.setNullableString(statement, 4, entry.getValue());
                statement.executeUpdate();
            }
            return null;
        });
    }

    Map<StateTuple, String> resolve(long groupId) {
        return scope.call("reading state group", session -> {
            PreparedStatement statement = session.prepare(SELECT_STATE);
            statement.setLong(1, groupId);
            Map<StateTuple, String> state = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    StateTuple tuple = new StateTuple(rows.getString(1), rows.getString(2));
                    String eventId = rows.getString(3);
                    if (eventId == null) {
                        state.remove(tuple);
                    } else {
                        state.put(tuple, eventId);
                    }
                }
            }
            return state;
        });
    }

    Optional<String> resolve(long groupId, StateTuple tuple) {
        return scope.call("reading state entry", session -> {
            PreparedStatement statement = session.prepare(SELECT_TUPLE);
            statement.setLong(1, groupId);
            statement.setString(2, tuple.type());
            statement.setString(3, tuple.stateKey());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        });
    }
}
