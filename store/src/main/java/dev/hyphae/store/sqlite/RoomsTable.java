package dev.hyphae.store.sqlite;

import dev.hyphae.store.Room;
import dev.hyphae.store.Rooms;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The rooms table. */
final class RoomsTable implements Rooms.Writer {
    static final String SCHEMA_V1 = """
            CREATE TABLE rooms (
                room_id TEXT NOT NULL PRIMARY KEY,
                room_version TEXT NOT NULL,
                created_ts INTEGER NOT NULL
            )""";

    static final String INSERT = "INSERT INTO rooms (room_id, room_version, created_ts) VALUES (?, ?, ?)"
            + " ON CONFLICT (room_id) DO NOTHING";
    static final String SELECT = "SELECT room_id, room_version, created_ts FROM rooms WHERE room_id = ?";
    static final String SELECT_ALL = "SELECT room_id, room_version, created_ts FROM rooms ORDER BY room_id";

    private final TransactionScope scope;

    RoomsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<Room> get(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading room", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, roomId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(room(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Room> all() {
        return scope.call("listing rooms", session -> {
            List<Room> rooms = new ArrayList<>();
            try (ResultSet rows = session.prepare(SELECT_ALL).executeQuery()) {
                while (rows.next()) {
                    rooms.add(room(rows));
                }
            }
            return rooms;
        });
    }

    @Override
    public boolean insert(Room room) {
        Objects.requireNonNull(room, "room");
        return scope.call("inserting room", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, room.roomId());
            statement.setString(2, room.roomVersion());
            statement.setLong(3, room.createdTs());
            return statement.executeUpdate() == 1;
        });
    }

    private static Room room(ResultSet rows) throws SQLException {
        return new Room(rows.getString("room_id"), rows.getString("room_version"), rows.getLong("created_ts"));
    }
}
