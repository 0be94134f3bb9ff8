package dev.hyphae.store.sqlite;

import dev.hyphae.store.Receipts;
import dev.hyphae.store.StoredReceipt;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The receipts table. Unthreaded receipts have the empty string as thread ID, because a primary
 * key column holding NULL would not keep them unique. A change takes the current maximum stream
 * position plus one; rows are replaced, never deleted, so the maximum only grows.
 */
final class ReceiptsTable implements Receipts.Writer {
    static final String SCHEMA_V6 = """
            CREATE TABLE receipts (
                room_id TEXT NOT NULL,
                receipt_type TEXT NOT NULL,
                user_id TEXT NOT NULL,
                thread_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                ts INTEGER NOT NULL,
                stream_position INTEGER NOT NULL UNIQUE,
                PRIMARY KEY (room_id, receipt_type, user_id, thread_id)
            ) WITHOUT ROWID""";
    static final String INDEX_ROOM_USER_V6 = "CREATE INDEX receipts_room_user ON receipts (room_id, user_id)";

    static final String UNTHREADED = "";
    static final String COLUMNS = "room_id, receipt_type, user_id, thread_id, event_id, ts, stream_position";
    static final String SELECT_MAX = "SELECT COALESCE(MAX(stream_position), 0) FROM receipts";
    static final String UPSERT = "INSERT INTO receipts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (room_id, receipt_type, user_id, thread_id) DO UPDATE SET event_id = excluded.event_id,"
            + " ts = excluded.ts, stream_position = excluded.stream_position";
    static final String SELECT = "SELECT " + COLUMNS + " FROM receipts"
            + " WHERE room_id = ? AND receipt_type = ? AND user_id = ? AND thread_id = ?";
    static final String SELECT_ROOM = "SELECT " + COLUMNS + " FROM receipts WHERE room_id = ? ORDER BY stream_position";
    static final String SELECT_USER = "SELECT " + COLUMNS + " FROM receipts WHERE room_id = ? AND user_id = ?"
            + " ORDER BY stream_position";
    static final String SELECT_BETWEEN = "SELECT " + COLUMNS + " FROM receipts"
            + " WHERE stream_position > ? AND stream_position <= ? ORDER BY stream_position";

    private final TransactionScope scope;

    ReceiptsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredReceipt> get(String roomId, String receiptType, String userId, String threadId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(receiptType, "receiptType");
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading receipt", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, roomId);
            statement.setString(2, receiptType);
            statement.setString(3, userId);
            statement.setString(4, threadId == null ? UNTHREADED : threadId);
            List<StoredReceipt> found = list(statement);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<StoredReceipt> inRoom(String roomId) {
        Objects.requireNonNull(roomId, "roomId");
        return scope.call("reading receipts of room", session -> {
            PreparedStatement statement = session.prepare(SELECT_ROOM);
            statement.setString(1, roomId);
            return list(statement);
        });
    }

    @Override
    public List<StoredReceipt> ofUser(String roomId, String userId) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading receipts of user", session -> {
            PreparedStatement statement = session.prepare(SELECT_USER);
            statement.setString(1, roomId);
            statement.setString(2, userId);
            return list(statement);
        });
    }

    @Override
    public List<StoredReceipt> changedBetween(long afterPosition, long upToPosition) {
        return scope.call("reading receipt changes", session -> {
            PreparedStatement statement = session.prepare(SELECT_BETWEEN);
            statement.setLong(1, afterPosition);
            statement.setLong(2, upToPosition);
            return list(statement);
        });
    }

    @Override
    public long currentPosition() {
        return scope.call("reading receipts position", session -> {
            try (ResultSet rows = session.prepare(SELECT_MAX).executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public long put(String roomId, String receiptType, String userId, String threadId, String eventId, long ts) {
        // Validates the arguments before anything is written.
        new StoredReceipt(roomId, receiptType, userId, threadId, eventId, ts, 0);
        return scope.call("storing receipt", session -> {
            long position = currentPosition() + 1;
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, roomId);
            statement.setString(2, receiptType);
            statement.setString(3, userId);
            statement.setString(4, threadId == null ? UNTHREADED : threadId);
            statement.setString(5, eventId);
            statement.setLong(6, ts);
            statement.setLong(7, position);
            statement.executeUpdate();
            return position;
        });
    }

    private static List<StoredReceipt> list(PreparedStatement statement) throws SQLException {
        List<StoredReceipt> receipts = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String thread = rows.getString("thread_id");
                receipts.add(new StoredReceipt(rows.getString("room_id"), rows.getString("receipt_type"),
                        rows.getString("user_id"), thread.isEmpty() ? null : thread, rows.getString("event_id"),
                        rows.getLong("ts"), rows.getLong("stream_position")));
            }
        }
        return receipts;
    }
}
