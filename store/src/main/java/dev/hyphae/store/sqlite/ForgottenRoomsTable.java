package dev.hyphae.store.sqlite;

import dev.hyphae.store.ForgottenRooms;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The forgotten_rooms table: rooms users forgot, with the membership event they forgot them at. */
final class ForgottenRoomsTable implements ForgottenRooms.Writer {
    static final String SCHEMA_V10 = """
            CREATE TABLE forgotten_rooms (
                user_id TEXT NOT NULL,
                room_id TEXT NOT NULL,
                membership_event_id TEXT NOT NULL,
                PRIMARY KEY (user_id, room_id)
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT membership_event_id FROM forgotten_rooms WHERE user_id = ? AND room_id = ?";
    static final String UPSERT = "INSERT INTO forgotten_rooms (user_id, room_id, membership_event_id) VALUES (?, ?, ?)"
            + " ON CONFLICT (user_id, room_id) DO UPDATE SET membership_event_id = excluded.membership_event_id";

    private final TransactionScope scope;

    ForgottenRoomsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<String> forgottenAt(String userId, String roomId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading forgotten room", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, roomId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void forget(String userId, String roomId, String membershipEventId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(membershipEventId, "membershipEventId");
        scope.call("storing forgotten room", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setString(2, roomId);
            statement.setString(3, membershipEventId);
            return statement.executeUpdate();
        });
    }
}
