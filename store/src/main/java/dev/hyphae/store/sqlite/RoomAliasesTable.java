package dev.hyphae.store.sqlite;

import dev.hyphae.store.RoomAliases;
import dev.hyphae.store.StoredRoomAlias;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The room_aliases table: this server's aliases and the rooms they point to. */
final class RoomAliasesTable implements RoomAliases.Writer {
    static final String SCHEMA_V10 = """
            CREATE TABLE room_aliases (
                alias TEXT NOT NULL PRIMARY KEY,
                room_id TEXT NOT NULL,
                creator TEXT NOT NULL,
                created_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";
    static final String INDEX_ROOM_V10 = "CREATE INDEX room_aliases_room ON room_aliases (room_id)";

    static final String COLUMNS = "alias, room_id, creator, created_ts";
    static final String SELECT = "SELECT " + COLUMNS + " FROM room_aliases WHERE alias = ?";
    static final String SELECT_FOR_ROOM = "SELECT " + COLUMNS + " FROM room_aliases WHERE room_id = ? ORDER BY alias";
    static final String INSERT = "INSERT INTO room_aliases (" + COLUMNS + ") VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (alias) DO NOTHING";
    static final String DELETE = "DELETE FROM room_aliases WHERE alias = ?";

    private final TransactionScope scope;

    RoomAliasesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredRoomAlias> get(String alias) {
        Objects.requireNonNull(alias, "alias");
        return scope.call("reading room alias", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, alias);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<StoredRoomAlias> forRoom(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading the aliases of a room", session -> {
            PreparedStatement statement = session.prepare(SELECT_FOR_ROOM);
            statement.setString(1, roomId);
            List<StoredRoomAlias> aliases = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    aliases.add(read(rows));
                }
            }
            return aliases;
        });
    }

    @Override
    public boolean insert(StoredRoomAlias alias) {
        Objects.requireNonNull(alias, "alias");
        return scope.call("storing room alias", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, alias.alias());
            statement.setString(2, alias.roomId());
            statement.setString(3, alias.creator());
            statement.setLong(4, alias.createdTs());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean delete(String alias) {
        Objects.requireNonNull(alias, "alias");
        return scope.call("deleting room alias", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, alias);
            return statement.executeUpdate() == 1;
        });
    }

    private static StoredRoomAlias read(ResultSet rows) throws SQLException {
        return new StoredRoomAlias(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4));
    }
}
