package dev.hyphae.store.sqlite;

import dev.hyphae.store.DeviceListStreamIds;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;

/** The device_list_stream_ids table: one row per local user with the latest stream ID sent. */
final class DeviceListStreamIdsTable implements DeviceListStreamIds.Writer {
    static final String SCHEMA_V13 = """
            CREATE TABLE device_list_stream_ids (
                user_id TEXT NOT NULL PRIMARY KEY,
                stream_id INTEGER NOT NULL
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT stream_id FROM device_list_stream_ids WHERE user_id = ?";
    static final String UPSERT = "INSERT INTO device_list_stream_ids (user_id, stream_id) VALUES (?, ?)"
            + " ON CONFLICT (user_id) DO UPDATE SET stream_id = excluded.stream_id";

    private final TransactionScope scope;

    DeviceListStreamIdsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public long latest(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading device list stream ID", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    @Override
    public void advance(String userId, long streamId) {
        long latest = latest(userId);
        if (streamId <= latest) {
            throw new IllegalArgumentException("stream ID " + streamId + " of " + userId
                    + " is not above the latest, " + latest);
        }
        scope.call("advancing device list stream ID", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, userId);
            statement.setLong(2, streamId);
            return statement.executeUpdate();
        });
    }
}
