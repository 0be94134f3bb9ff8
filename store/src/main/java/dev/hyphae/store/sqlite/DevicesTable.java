package dev.hyphae.store.sqlite;

import dev.hyphae.store.Device;
import dev.hyphae.store.Devices;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The devices table. Deleting a device deletes its access tokens (foreign key cascade). */
final class DevicesTable implements Devices.Writer {
    static final String SCHEMA_V1 = """
            CREATE TABLE devices (
                user_id TEXT NOT NULL REFERENCES accounts (user_id),
                device_id TEXT NOT NULL,
                display_name TEXT,
                last_seen_ts INTEGER,
                last_seen_ip TEXT,
                PRIMARY KEY (user_id, device_id)
            ) WITHOUT ROWID""";

    static final String COLUMNS = "user_id, device_id, display_name, last_seen_ts, last_seen_ip";
    static final String INSERT = "INSERT INTO devices (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (user_id, device_id) DO NOTHING";
    static final String SELECT = "SELECT " + COLUMNS + " FROM devices WHERE user_id = ? AND device_id = ?";
    static final String SELECT_FOR_USER = "SELECT " + COLUMNS + " FROM devices WHERE user_id = ? ORDER BY device_id";
    static final String UPDATE_DISPLAY_NAME = "UPDATE devices SET display_name = ? WHERE user_id = ? AND device_id = ?";
    static final String UPDATE_SEEN = "UPDATE devices SET last_seen_ts = ?, last_seen_ip = ?"
            + " WHERE user_id = ? AND device_id = ?";
    static final String DELETE = "DELETE FROM devices WHERE user_id = ? AND device_id = ?";

    private final TransactionScope scope;

    DevicesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<Device> get(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("reading device", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(device(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Device> forUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("listing devices", session -> {
            PreparedStatement statement = session.prepare(SELECT_FOR_USER);
            statement.setString(1, userId);
            List<Device> devices = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    devices.add(device(rows));
                }
            }
            return devices;
        });
    }

    @Override
    public boolean insert(Device device) {
        Objects.requireNonNull(device, "device");
        return scope.call("inserting device", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, device.userId());
            statement.setString(2, device.deviceId());
            TransactionScope.setNullableString(statement, 3, device.displayName());
            TransactionScope.setNullableLong(statement, 4, device.lastSeenTs());
            TransactionScope.setNullableString(statement, 5, device.lastSeenIp());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean setDisplayName(String userId, String deviceId, String displayName) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("renaming device", session -> {
            PreparedStatement statement = session.prepare(UPDATE_DISPLAY_NAME);
            TransactionScope.setNullableString(statement, 1, displayName);
            statement.setString(2, userId);
            statement.setString(3, deviceId);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean recordSeen(String userId, String deviceId, long ts, String ip) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("recording device activity", session -> {
            PreparedStatement statement = session.prepare(UPDATE_SEEN);
            statement.setLong(1, ts);
            TransactionScope.setNullableString(statement, 2, ip);
            statement.setString(3, userId);
            statement.setString(4, deviceId);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean delete(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("deleting device", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            return statement.executeUpdate() == 1;
        });
    }

    private static Device device(ResultSet rows) throws SQLException {
        return new Device(rows.getString("user_id"), rows.getString("device_id"), rows.getString("display_name"),
                TransactionScope.getNullableLong(rows, "last_seen_ts"), rows.getString("last_seen_ip"));
    }
}
