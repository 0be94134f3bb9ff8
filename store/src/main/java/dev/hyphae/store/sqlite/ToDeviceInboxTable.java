package dev.hyphae.store.sqlite;

import dev.hyphae.store.ToDeviceInbox;
import dev.hyphae.store.ToDeviceMessage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The to_device_inbox table. AUTOINCREMENT keeps positions increasing after the newest messages
 * are deleted, so a position handed to a client is never given to a later message.
 */
final class ToDeviceInboxTable implements ToDeviceInbox.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE to_device_inbox (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                sender TEXT NOT NULL,
                type TEXT NOT NULL,
                content_json TEXT NOT NULL,
                FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
            )""";
    static final String INDEX_DEVICE_V4 = "CREATE INDEX to_device_inbox_device ON to_device_inbox (user_id, device_id, position)";

    static final String INSERT = "INSERT INTO to_device_inbox (user_id, device_id, sender, type, content_json)"
            + " VALUES (?, ?, ?, ?, ?)";
    static final String SELECT_AFTER = "SELECT position, sender, type, content_json FROM to_device_inbox"
            + " WHERE user_id = ? AND device_id = ? AND position > ? ORDER BY position LIMIT ?";
    static final String DELETE_UP_TO = "DELETE FROM to_device_inbox WHERE user_id = ? AND device_id = ? AND position <= ?";
    static final String SELECT_LATEST = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'to_device_inbox'), 0)";

    private final TransactionScope scope;

    ToDeviceInboxTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public long latestPosition() {
        return scope.call("reading to-device position", session -> {
            try (ResultSet rows = session.prepare(SELECT_LATEST).executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public List<ToDeviceMessage> after(String userId, String deviceId, long after, int limit) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return scope.call("reading to-device messages", session -> {
            PreparedStatement statement = session.prepare(SELECT_AFTER);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setLong(3, after);
            statement.setInt(4, limit);
            List<ToDeviceMessage> messages = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    messages.add(new ToDeviceMessage(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getString(4)));
                }
            }
            return messages;
        });
    }

    @Override
    public long add(String userId, String deviceId, String sender, String type, String contentJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contentJson, "contentJson");
        return scope.call("adding to-device message", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, sender);
            statement.setString(4, type);
            statement.setString(5, contentJson);
            statement.executeUpdate();
            return LastInsertRowId.of(session);
        });
    }

    @Override
    public int deleteUpTo(String userId, String deviceId, long position) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("deleting to-device messages", session -> {
            PreparedStatement statement = session.prepare(DELETE_UP_TO);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setLong(3, position);
            return statement.executeUpdate();
        });
    }
}
