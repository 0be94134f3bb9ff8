package dev.hyphae.store.sqlite;

import dev.hyphae.store.AccessToken;
import dev.hyphae.store.AccessTokens;
import dev.hyphae.store.TokenHash;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The access_tokens table; it holds token hashes only, never a token. */
final class AccessTokensTable implements AccessTokens.Writer {
    static final String SCHEMA_V1 = """
            CREATE TABLE access_tokens (
                token_hash TEXT NOT NULL PRIMARY KEY,
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                created_ts INTEGER NOT NULL,
                expires_ts INTEGER,
                refresh_token_hash TEXT UNIQUE,
                FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
            ) WITHOUT ROWID""";
    static final String INDEX_DEVICE_V1 = "CREATE INDEX access_tokens_device ON access_tokens (user_id, device_id)";

    static final String COLUMNS = "token_hash, user_id, device_id, created_ts, expires_ts, refresh_token_hash";
    static final String INSERT = "INSERT INTO access_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (token_hash) DO NOTHING";
    static final String SELECT_BY_HASH = "SELECT " + COLUMNS + " FROM access_tokens WHERE token_hash = ?";
    static final String SELECT_BY_REFRESH_HASH = "SELECT " + COLUMNS + " FROM access_tokens"
            + " WHERE refresh_token_hash = ?";
    static final String SELECT_FOR_DEVICE = "SELECT " + COLUMNS + " FROM access_tokens"
            + " WHERE user_id = ? AND device_id = ? ORDER BY created_ts";
    static final String DELETE = "DELETE FROM access_tokens WHERE token_hash = ?";
    static final String DELETE_FOR_DEVICE = "DELETE FROM access_tokens WHERE user_id = ? AND device_id = ?";
    static final String DELETE_FOR_USER = "DELETE FROM access_tokens WHERE user_id = ?";

    private final TransactionScope scope;

    AccessTokensTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<AccessToken> byTokenHash(TokenHash tokenHash) {
        return byHash(SELECT_BY_HASH, tokenHash);
    }

    @Override
    public Optional<AccessToken> byRefreshTokenHash(TokenHash refreshTokenHash) {
        return byHash(SELECT_BY_REFRESH_HASH, refreshTokenHash);
    }

    private Optional<AccessToken> byHash(String sql, TokenHash hash) {
        Objects.requireNonNull(hash, "hash");
        return scope.call("looking up access token", session -> {
            PreparedStatement statement = session.prepare(sql);
            statement.setString(1, hash.hex());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public List<AccessToken> forDevice(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("listing access tokens", session -> {
            PreparedStatement statement = session.prepare(SELECT_FOR_DEVICE);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            List<AccessToken> tokens = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tokens.add(token(rows));
                }
            }
            return tokens;
        });
    }

    @Override
    public boolean insert(AccessToken token) {
        Objects.requireNonNull(token, "token");
        return scope.call("storing access token", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, token.tokenHash().hex());
            statement.setString(2, token.userId());
            statement.setString(3, token.deviceId());
            statement.setLong(4, token.createdTs());
            TransactionScope.setNullableLong(statement, 5, token.expiresTs());
            TransactionScope.setNullableString(statement, 6,
                    token.refreshTokenHash() == null ? null : token.refreshTokenHash().hex());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean delete(TokenHash tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return scope.call("deleting access token", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, tokenHash.hex());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public int deleteForDevice(String userId, String deviceId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        return scope.call("deleting device access tokens", session -> {
            PreparedStatement statement = session.prepare(DELETE_FOR_DEVICE);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            return statement.executeUpdate();
        });
    }

    @Override
    public int deleteForUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("deleting user access tokens", session -> {
            PreparedStatement statement = session.prepare(DELETE_FOR_USER);
            statement.setString(1, userId);
            return statement.executeUpdate();
        });
    }

    private static AccessToken token(ResultSet rows) throws SQLException {
        String refresh = rows.getString("refresh_token_hash");
        return new AccessToken(new TokenHash(rows.getString("token_hash")), rows.getString("user_id"),
                rows.getString("device_id"), rows.getLong("created_ts"),
                TransactionScope.getNullableLong(rows, "expires_ts"), refresh == null ? null : new TokenHash(refresh));
    }
}
