package dev.hyphae.store.sqlite;

import dev.hyphae.store.Membership;
import dev.hyphae.store.Memberships;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The room_memberships table: the current membership of each user in each room. */
final class MembershipsTable implements Memberships.Writer {
    static final String SCHEMA_V2 = """
            CREATE TABLE room_memberships (
                room_id TEXT NOT NULL REFERENCES rooms (room_id),
                user_id TEXT NOT NULL,
                membership TEXT NOT NULL CHECK (membership IN ('invite', 'join', 'knock', 'leave', 'ban')),
                event_id TEXT NOT NULL REFERENCES events (event_id),
                PRIMARY KEY (room_id, user_id)
            ) WITHOUT ROWID""";
    static final String INDEX_USER_V2 = "CREATE INDEX room_memberships_user ON room_memberships (user_id)";

    static final String UPSERT = "INSERT INTO room_memberships (room_id, user_id, membership, event_id)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (room_id, user_id) DO UPDATE SET"
            + " membership = excluded.membership, event_id = excluded.event_id";
    static final String COLUMNS = "room_id, user_id, membership, event_id";
    static final String SELECT = "SELECT " + COLUMNS + " FROM room_memberships WHERE room_id = ? AND user_id = ?";
    static final String SELECT_FOR_USER = "SELECT " + COLUMNS + " FROM room_memberships WHERE user_id = ?"
            + " ORDER BY room_id";
    static final String SELECT_IN_ROOM = "SELECT " + COLUMNS + " FROM room_memberships WHERE room_id = ?"
            + " ORDER BY user_id";

    private final TransactionScope scope;

    MembershipsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<Membership> get(String roomId, String userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading membership", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, roomId);
            statement.setString(2, userId);
            List<Membership> found = memberships(statement);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<Membership> forUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("listing memberships of user", session -> {
            PreparedStatement statement = session.prepare(SELECT_FOR_USER);
            statement.setString(1, userId);
            return memberships(statement);
        });
    }

    @Override
    public List<Membership> inRoom(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("listing memberships of room", session -> {
            PreparedStatement statement = session.prepare(SELECT_IN_ROOM);
            statement.setString(1, roomId);
            return memberships(statement);
        });
    }

    @Override
    public void set(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        scope.call("setting membership", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, membership.roomId());
            statement.setString(2, membership.userId());
            statement.setString(3, membership.membership());
            statement.setString(4, membership.eventId());
            return statement.executeUpdate();
        });
    }

    private static List<Membership> memberships(PreparedStatement statement) throws SQLException {
        List<Membership> memberships = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                memberships.add(new Membership(rows.getString("room_id"), rows.getString("user_id"),
                        rows.getString("membership"), rows.getString("event_id")));
            }
        }
        return memberships;
    }
}
