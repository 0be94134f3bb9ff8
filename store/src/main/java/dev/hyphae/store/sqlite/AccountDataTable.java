package dev.hyphae.store.sqlite;

import dev.hyphae.store.AccountData;
import dev.hyphae.store.AccountDataEntry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The account_data table. Global entries have the empty string as room ID, because a primary key
 * column holding NULL would not keep entries unique. A change takes the current maximum stream
 * position plus one; rows are replaced, never deleted, so the maximum only grows.
 */
final class AccountDataTable implements AccountData.Writer {
    static final String SCHEMA_V3 = """
            CREATE TABLE account_data (
                user_id TEXT NOT NULL REFERENCES accounts (user_id),
                room_id TEXT NOT NULL,
                type TEXT NOT NULL,
                content_json TEXT NOT NULL,
                stream_position INTEGER NOT NULL UNIQUE,
                PRIMARY KEY (user_id, room_id, type)
            ) WITHOUT ROWID""";
    static final String INDEX_USER_STREAM_V3 = "CREATE INDEX account_data_user_stream ON account_data (user_id, stream_position)";

    static final String GLOBAL = "";
    static final String COLUMNS = "user_id, room_id, type, content_json, stream_position";
    static final String SELECT_MAX = "SELECT COALESCE(MAX(stream_position), 0) FROM account_data";
    static final String UPSERT = "INSERT INTO account_data (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (user_id, room_id, type) DO UPDATE SET content_json = excluded.content_json,"
            + " stream_position = excluded.stream_position";
    static final String SELECT = "SELECT " + COLUMNS + " FROM account_data WHERE user_id = ? AND room_id = ? AND type = ?";
    static final String SELECT_USER_SINCE = "SELECT " + COLUMNS + " FROM account_data"
            + " WHERE user_id = ? AND stream_position > ? ORDER BY stream_position";

    private final TransactionScope scope;

    AccountDataTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<AccountDataEntry> get(String userId, String roomId, String type) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        return scope.call("reading account data", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, roomId == null ? GLOBAL : roomId);
            statement.setString(3, type);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<AccountDataEntry> forUser(String userId) {
        return changedSince(userId, Long.MIN_VALUE);
    }

    @Override
    public List<AccountDataEntry> changedSince(String userId, long sincePosition) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading account data changes", session -> {
            PreparedStatement statement = session.prepare(SELECT_USER_SINCE);
            statement.setString(1, userId);
            statement.setLong(2, sincePosition);
            List<AccountDataEntry> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(entry(rows));
                }
            }
            return entries;
        });
    }

    @Override
    public long currentPosition() {
        return scope.call("reading account data position", session -> {
            try (ResultSet rows = session.prepare(SELECT_MAX).executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public long put(String userId, String roomId, String type, String contentJson) {
        AccountDataEntry checked = new AccountDataEntry(userId, roomId, type, contentJson, 0);
        return scope.call("writing account data", session -> {
            long position = currentPosition() + 1;
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, checked.userId());
            statement.setString(2, roomId == null ? GLOBAL : roomId);
            statement.setString(3, checked.type());
            statement.setString(4, checked.contentJson());
            statement.setLong(5, position);
            statement.executeUpdate();
            return position;
        });
    }

    private static AccountDataEntry entry(ResultSet rows) throws SQLException {
        String roomId = rows.getString("room_id");
        return new AccountDataEntry(rows.getString("user_id"), GLOBAL.equals(roomId) ? null : roomId,
                rows.getString("type"), rows.getString("content_json"), rows.getLong("stream_position"));
    }
}
