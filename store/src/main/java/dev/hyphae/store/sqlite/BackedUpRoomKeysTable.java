package dev.hyphae.store.sqlite;

import dev.hyphae.store.BackedUpRoomKey;
import dev.hyphae.store.BackedUpRoomKeys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The backed_up_room_keys table: the session keys of each key backup version. */
final class BackedUpRoomKeysTable implements BackedUpRoomKeys.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE backed_up_room_keys (
                user_id TEXT NOT NULL,
                version INTEGER NOT NULL REFERENCES key_backup_versions (version),
                room_id TEXT NOT NULL,
                session_id TEXT NOT NULL,
                first_message_index INTEGER NOT NULL,
                forwarded_count INTEGER NOT NULL,
                is_verified INTEGER NOT NULL CHECK (is_verified IN (0, 1)),
                session_data_json TEXT NOT NULL,
                PRIMARY KEY (user_id, version, room_id, session_id)
            ) WITHOUT ROWID""";

    static final String COLUMNS = "room_id, session_id, first_message_index, forwarded_count, is_verified, session_data_json";
    static final String UPSERT = "INSERT INTO backed_up_room_keys (user_id, version, " + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET"
            + " first_message_index = excluded.first_message_index, forwarded_count = excluded.forwarded_count,"
            + " is_verified = excluded.is_verified, session_data_json = excluded.session_data_json";
    static final String SELECT = "SELECT " + COLUMNS + " FROM backed_up_room_keys"
            + " WHERE user_id = ? AND version = ? AND room_id = ? AND session_id = ?";
    // A NULL room parameter selects every room, so one statement serves both listings.
    static final String SELECT_LIST = "SELECT " + COLUMNS + " FROM backed_up_room_keys"
            + " WHERE user_id = ?1 AND version = ?2 AND (?3 IS NULL OR room_id = ?3) ORDER BY room_id, session_id";
    static final String COUNT = "SELECT COUNT(*) FROM backed_up_room_keys WHERE user_id = ? AND version = ?";
    static final String DELETE = "DELETE FROM backed_up_room_keys WHERE user_id = ?1 AND version = ?2"
            + " AND (?3 IS NULL OR room_id = ?3) AND (?4 IS NULL OR session_id = ?4)";

    private final TransactionScope scope;

    BackedUpRoomKeysTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<BackedUpRoomKey> get(String userId, long version, String roomId, String sessionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
        return scope.call("reading backed up room key", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setLong(2, version);
            statement.setString(3, roomId);
            statement.setString(4, sessionId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(key(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<BackedUpRoomKey> list(String userId, long version, String roomId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("listing backed up room keys", session -> {
            PreparedStatement statement = session.prepare(SELECT_LIST);
            statement.setString(1, userId);
            statement.setLong(2, version);
            TransactionScope.setNullableString(statement, 3, roomId);
            List<BackedUpRoomKey> keys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(key(rows));
                }
            }
            return keys;
        });
    }

    @Override
    public long count(String userId, long version) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("counting backed up room keys", session -> {
            PreparedStatement statement = session.prepare(COUNT);
            statement.setString(1, userId);
            statement.setLong(2, version);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public void put(String userId, long version, BackedUpRoomKey key) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(key, "key");
        scope.call("storing backed up room key", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setLong(2, version);
            statement.setString(3, key.roomId());
            statement.setString(4, key.sessionId());
            statement.setLong(5, key.firstMessageIndex());
            statement.setLong(6, key.forwardedCount());
            statement.setInt(7, key.verified() ? 1 : 0);
            statement.setString(8, key.sessionDataJson());
            return statement.executeUpdate();
        });
    }

    @Override
    public int delete(String userId, long version, String roomId, String sessionId) {
        Objects.requireNonNull(userId, "userId");
        if (roomId == null && sessionId != null) {
            throw new IllegalArgumentException("a session is deleted within its room");
        }
        return scope.call("deleting backed up room keys", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, userId);
            statement.setLong(2, version);
            TransactionScope.setNullableString(statement, 3, roomId);
            TransactionScope.setNullableString(statement, 4, sessionId);
            return statement.executeUpdate();
        });
    }

    private static BackedUpRoomKey key(ResultSet rows) throws SQLException {
        return new BackedUpRoomKey(rows.getString("room_id"), rows.getString("session_id"),
                rows.getLong("first_message_index"), rows.getLong("forwarded_count"), rows.getInt("is_verified") == 1,
                rows.getString("session_data_json"));
    }
}
