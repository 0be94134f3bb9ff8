package dev.hyphae.store.sqlite;

import dev.hyphae.store.StateGroup;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The state_groups table: one row per state snapshot, pointing at the group it is a delta of. */
final class StateGroupsTable {
    static final String SCHEMA_V1 = """
            CREATE TABLE state_groups (
                group_id INTEGER PRIMARY KEY,
                room_id TEXT NOT NULL REFERENCES rooms (room_id),
                parent_group_id INTEGER REFERENCES state_groups (group_id),
                chain_length INTEGER NOT NULL CHECK (chain_length >= 0)
            )""";

    static final String INSERT = "INSERT INTO state_groups (room_id, parent_group_id, chain_length) VALUES (?, ?, ?)";
    static final String SELECT = "SELECT group_id, room_id, parent_group_id, chain_length FROM state_groups"
            + " WHERE group_id = ?";

    private final TransactionScope scope;

    StateGroupsTable(TransactionScope scope) {
        this.scope = scope;
    }

    long insert(String roomId, Long parentGroupId, int chainLength) {
        return scope.call("inserting state group", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, roomId);
            TransactionScope.setNullableLong(statement, 2, parentGroupId);
            statement.setInt(3, chainLength);
            statement.executeUpdate();
            try (ResultSet keys = session.prepare("SELECT last_insert_rowid()").executeQuery()) {
                keys.next();
                return keys.getLong(1);
            }
        });
    }

    Optional<StateGroup> get(long groupId) {
        return scope.call("reading state group", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setLong(1, groupId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StateGroup(rows.getLong("group_id"), rows.getString("room_id"),
                        TransactionScope.getNullableLong(rows, "parent_group_id"), rows.getInt("chain_length")));
            }
        });
    }
}
