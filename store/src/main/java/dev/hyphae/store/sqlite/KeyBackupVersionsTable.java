package dev.hyphae.store.sqlite;

import dev.hyphae.store.KeyBackupVersion;
import dev.hyphae.store.KeyBackupVersions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The key_backup_versions table. Deleted versions stay as rows marked deleted, and AUTOINCREMENT
 * never reuses a number, so a client holding an old version number cannot write into a new backup.
 */
final class KeyBackupVersionsTable implements KeyBackupVersions.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE key_backup_versions (
                version INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                auth_data_json TEXT NOT NULL,
                etag INTEGER NOT NULL,
                deleted INTEGER NOT NULL CHECK (deleted IN (0, 1))
            )""";
    static final String INDEX_USER_V4 = "CREATE INDEX key_backup_versions_user ON key_backup_versions (user_id, version)";

    static final String COLUMNS = "version, user_id, algorithm, auth_data_json, etag";
    static final String INSERT = "INSERT INTO key_backup_versions (user_id, algorithm, auth_data_json, etag, deleted)"
            + " VALUES (?, ?, ?, 0, 0)";
    static final String SELECT_LATEST = "SELECT " + COLUMNS + " FROM key_backup_versions"
            + " WHERE user_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1";
    static final String SELECT = "SELECT " + COLUMNS + " FROM key_backup_versions"
            + " WHERE user_id = ? AND version = ? AND deleted = 0";
    static final String UPDATE_AUTH_DATA = "UPDATE key_backup_versions SET auth_data_json = ?"
            + " WHERE user_id = ? AND version = ? AND deleted = 0";
    static final String BUMP_ETAG = "UPDATE key_backup_versions SET etag = etag + 1"
            + " WHERE user_id = ? AND version = ? AND deleted = 0 RETURNING etag";
    static final String MARK_DELETED = "UPDATE key_backup_versions SET deleted = 1"
            + " WHERE user_id = ? AND version = ? AND deleted = 0";

    private final TransactionScope scope;
    private final BackedUpRoomKeysTable keys;

    KeyBackupVersionsTable(TransactionScope scope, BackedUpRoomKeysTable keys) {
        this.scope = scope;
        this.keys = keys;
    }

    @Override
    public Optional<KeyBackupVersion> latest(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading latest key backup", session -> {
            PreparedStatement statement = session.prepare(SELECT_LATEST);
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(version(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public Optional<KeyBackupVersion> get(String userId, long version) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading key backup", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setLong(2, version);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(version(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public long create(String userId, String algorithm, String authDataJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(authDataJson, "authDataJson");
        return scope.call("creating key backup", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, userId);
            statement.setString(2, algorithm);
            statement.setString(3, authDataJson);
            statement.executeUpdate();
            return LastInsertRowId.of(session);
        });
    }

    @Override
    public boolean updateAuthData(String userId, long version, String authDataJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(authDataJson, "authDataJson");
        return scope.call("updating key backup", session -> {
            PreparedStatement statement = session.prepare(UPDATE_AUTH_DATA);
            statement.setString(1, authDataJson);
            statement.setString(2, userId);
            statement.setLong(3, version);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public long bumpEtag(String userId, long version) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("changing key backup etag", session -> {
            PreparedStatement statement = session.prepare(BUMP_ETAG);
            statement.setString(1, userId);
            statement.setLong(2, version);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("no key backup version " + version + " of " + userId);
                }
                return rows.getLong(1);
            }
        });
    }

    @Override
    public boolean delete(String userId, long version) {
        Objects.requireNonNull(userId, "userId");
        boolean marked = scope.call("deleting key backup", session -> {
            PreparedStatement statement = session.prepare(MARK_DELETED);
            statement.setString(1, userId);
            statement.setLong(2, version);
            return statement.executeUpdate() == 1;
        });
        if (marked) {
            keys.delete(userId, version, null, null);
        }
        return marked;
    }

    private static KeyBackupVersion version(ResultSet rows) throws SQLException {
        return new KeyBackupVersion(rows.getString("user_id"), rows.getLong("version"), rows.getString("algorithm"),
                rows.getString("auth_data_json"), rows.getLong("etag"));
    }
}
