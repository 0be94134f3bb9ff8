package dev.hyphae.store.sqlite;

import dev.hyphae.store.SentMembers;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/** The lazy_loaded_members table: membership events each device was sent under lazy-loading. */
final class SentMembersTable implements SentMembers.Writer {
    static final String SCHEMA_V11 = """
            CREATE TABLE lazy_loaded_members (
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                room_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                PRIMARY KEY (user_id, device_id, room_id, event_id)
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT event_id FROM lazy_loaded_members WHERE user_id = ? AND device_id = ? AND room_id = ?";
    static final String INSERT = "INSERT INTO lazy_loaded_members (user_id, device_id, room_id, event_id)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String DELETE = "DELETE FROM lazy_loaded_members WHERE user_id = ? AND device_id = ?";

    private final TransactionScope scope;

    SentMembersTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Set<String> sent(String userId, String deviceId, String roomId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading sent members", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, roomId);
            Set<String> eventIds = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    eventIds.add(rows.getString(1));
                }
            }
            return eventIds;
        });
    }

    @Override
    public void add(String userId, String deviceId, String roomId, Collection<String> eventIds) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(roomId, "roomId");
        scope.call("recording sent members", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            for (String eventId : eventIds) {
                statement.setString(1, userId);
                statement.setString(2, deviceId);
                statement.setString(3, roomId);
                statement.setString(4, Objects.requireNonNull(eventId, "eventId"));
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int clear(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("clearing sent members", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            return statement.executeUpdate();
        });
    }
}
