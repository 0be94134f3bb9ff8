package dev.hyphae.store.sqlite;

import dev.hyphae.store.PublishedRooms;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The published_rooms table: the rooms of the public room directory. */
final class PublishedRoomsTable implements PublishedRooms.Writer {
    static final String SCHEMA_V10 = """
            CREATE TABLE published_rooms (
                room_id TEXT NOT NULL PRIMARY KEY,
                published_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT 1 FROM published_rooms WHERE room_id = ?";
    static final String SELECT_ALL = "SELECT room_id FROM published_rooms ORDER BY room_id";
    static final String INSERT = "INSERT INTO published_rooms (room_id, published_ts) VALUES (?, ?)"
            + " ON CONFLICT (room_id) DO NOTHING";
    static final String DELETE = "DELETE FROM published_rooms WHERE room_id = ?";

    private final TransactionScope scope;

    PublishedRoomsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public boolean isPublished(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading room publication", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, roomId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    @Override
    public List<String> all() {
        return scope.call("reading published rooms", session -> {
            List<String> rooms = new ArrayList<>();
            try (ResultSet rows = session.prepare(SELECT_ALL).executeQuery()) {
                while (rows.next()) {
                    rooms.add(rows.getString(1));
                }
            }
            return rooms;
        });
    }

    @Override
    public void setPublished(String roomId, boolean published, long ts) {
        Objects.requireNonNull(roomId, "roomId");
        scope.call("storing room publication", session -> {
            PreparedStatement statement = session.prepare(published ? INSERT : DELETE);
            statement.setString(1, roomId);
            if (published) {
                statement.setLong(2, ts);
            }
            return statement.executeUpdate();
        });
    }
}
