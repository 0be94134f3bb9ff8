package dev.hyphae.store.sqlite;

import dev.hyphae.store.NotificationCounts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The notification_counts table, with the triggers that forget counts when a read receipt or a
 * push rule of their user changes (so that no code path that stores one can forget to).
 */
final class NotificationCountsTable implements NotificationCounts.Writer {
    static final String SCHEMA_V15 = """
            CREATE TABLE notification_counts (
                user_id TEXT NOT NULL,
                room_id TEXT NOT NULL,
                thread_id TEXT NOT NULL,
                notifications INTEGER NOT NULL,
                highlights INTEGER NOT NULL,
                PRIMARY KEY (user_id, room_id, thread_id)
            ) WITHOUT ROWID""";
    static final String INDEX_ROOM_V15 =
            "CREATE INDEX notification_counts_room ON notification_counts (room_id, thread_id, user_id)";
    static final String READ_TYPES = "('m.read', 'm.read.private')";
    static final String TRIGGER_RECEIPT_INSERT_V15 = """
            CREATE TRIGGER notification_counts_receipt_insert AFTER INSERT ON receipts
            WHEN NEW.receipt_type IN %s
            BEGIN
                DELETE FROM notification_counts WHERE user_id = NEW.user_id AND room_id = NEW.room_id;
            END""".formatted(READ_TYPES);
    static final String TRIGGER_RECEIPT_UPDATE_V15 = """
            CREATE TRIGGER notification_counts_receipt_update AFTER UPDATE ON receipts
            WHEN NEW.receipt_type IN %s
            BEGIN
                DELETE FROM notification_counts WHERE user_id = NEW.user_id AND room_id = NEW.room_id;
            END""".formatted(READ_TYPES);
    static final String TRIGGER_PUSH_RULE_INSERT_V15 = """
            CREATE TRIGGER notification_counts_push_rule_insert AFTER INSERT ON push_rules
            BEGIN
                DELETE FROM notification_counts WHERE user_id = NEW.user_id;
            END""";
    static final String TRIGGER_PUSH_RULE_UPDATE_V15 = """
            CREATE TRIGGER notification_counts_push_rule_update AFTER UPDATE ON push_rules
            BEGIN
                DELETE FROM notification_counts WHERE user_id = NEW.user_id;
            END""";
    static final String TRIGGER_PUSH_RULE_DELETE_V15 = """
            CREATE TRIGGER notification_counts_push_rule_delete AFTER DELETE ON push_rules
            BEGIN
                DELETE FROM notification_counts WHERE user_id = OLD.user_id;
            END""";

    static final String SELECT_USER =
            "SELECT room_id, thread_id, notifications, highlights FROM notification_counts WHERE user_id = ?";
    static final String SELECT_COUNTED = "SELECT user_id FROM notification_counts WHERE room_id = ? AND thread_id = '"
            + NotificationCounts.MAIN + "' ORDER BY user_id";
    static final String SELECT_MAIN = "SELECT 1 FROM notification_counts WHERE user_id = ? AND room_id = ? AND thread_id = '"
            + NotificationCounts.MAIN + "'";
    static final String ADD = "INSERT INTO notification_counts (user_id, room_id, thread_id, notifications, highlights)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, room_id, thread_id) DO UPDATE SET"
            + " notifications = notifications + excluded.notifications, highlights = highlights + excluded.highlights";
    static final String INSERT = "INSERT INTO notification_counts (user_id, room_id, thread_id, notifications, highlights)"
            + " VALUES (?, ?, ?, ?, ?)";
    static final String DELETE = "DELETE FROM notification_counts WHERE user_id = ? AND room_id = ?";

    private final TransactionScope scope;

    NotificationCountsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Map<String, Map<String, Count>> ofUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading notification counts", session -> {
            PreparedStatement statement = session.prepare(SELECT_USER);
            statement.setString(1, userId);
            Map<String, Map<String, Count>> rooms = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rooms.computeIfAbsent(rows.getString(1), room -> new HashMap<>())
                            .put(rows.getString(2), new Count(rows.getLong(3), rows.getLong(4)));
                }
            }
            return rooms;
        });
    }

    @Override
    public List<String> countedUsers(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading counted users", session -> {
            PreparedStatement statement = session.prepare(SELECT_COUNTED);
            statement.setString(1, roomId);
            List<String> users = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    users.add(rows.getString(1));
                }
            }
            return users;
        });
    }

    @Override
    public boolean add(String userId, String roomId, String threadId, Count count) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(count, "count");
        return scope.call("adding to notification counts", session -> {
            PreparedStatement counted = session.prepare(SELECT_MAIN);
            counted.setString(1, userId);
            counted.setString(2, roomId);
            try (ResultSet rows = counted.executeQuery()) {
                if (!rows.next()) {
                    return false;
                }
            }
            PreparedStatement statement = session.prepare(ADD);
            statement.setString(1, userId);
            statement.setString(2, roomId);
            statement.setString(3, threadId);
            statement.setLong(4, count.notifications());
            statement.setLong(5, count.highlights());
            statement.executeUpdate();
            return true;
        });
    }

    @Override
    public void replace(String userId, String roomId, Map<String, Count> threads) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        Map<String, Count> rows = new HashMap<>(threads);
        rows.putIfAbsent(NotificationCounts.MAIN, Count.ZERO);
        scope.call("replacing notification counts", session -> {
            delete(session, userId, roomId);
            PreparedStatement statement = session.prepare(INSERT);
            for (Map.Entry<String, Count> row : rows.entrySet()) {
                statement.setString(1, userId);
                statement.setString(2, roomId);
                statement.setString(3, Objects.requireNonNull(row.getKey(), "threadId"));
                statement.setLong(4, row.getValue().notifications());
                statement.setLong(5, row.getValue().highlights());
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void forget(String userId, String roomId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        scope.call("forgetting notification counts", session -> delete(session, userId, roomId));
    }

    private static int delete(SqliteSession session, String userId, String roomId) throws java.sql.SQLException {
        PreparedStatement statement = session.prepare(DELETE);
        statement.setString(1, userId);
        statement.setString(2, roomId);
        return statement.executeUpdate();
    }
}
