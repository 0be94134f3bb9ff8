package dev.hyphae.store.sqlite;

import dev.hyphae.store.Account;
import dev.hyphae.store.Accounts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The accounts table. */
final class AccountsTable implements Accounts.Writer {
    static final String SCHEMA_V1 = """
            CREATE TABLE accounts (
                user_id TEXT NOT NULL PRIMARY KEY,
                password_hash TEXT,
                created_ts INTEGER NOT NULL,
                deactivated INTEGER NOT NULL CHECK (deactivated IN (0, 1)),
                admin INTEGER NOT NULL CHECK (admin IN (0, 1))
            )""";

    static final String INSERT = "INSERT INTO accounts (user_id, password_hash, created_ts, deactivated, admin)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING";
    static final String SELECT = "SELECT user_id, password_hash, created_ts, deactivated, admin FROM accounts"
            + " WHERE user_id = ?";
    static final String SELECT_ALL = "SELECT user_id, password_hash, created_ts, deactivated, admin FROM accounts"
            + " ORDER BY user_id";
    static final String UPDATE_PASSWORD = "UPDATE accounts SET password_hash = ? WHERE user_id = ?";
    static final String UPDATE_DEACTIVATED = "UPDATE accounts SET deactivated = 1, password_hash = NULL"
            + " WHERE user_id = ?";
    static final String UPDATE_ADMIN = "UPDATE accounts SET admin = ? WHERE user_id = ?";

    private final TransactionScope scope;

    AccountsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<Account> get(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("reading account", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(account(rows));
            }
        });
    }

    @Override
    public List<Account> all() {
        return scope.call("listing accounts", session -> {
            List<Account> accounts = new ArrayList<>();
            try (ResultSet rows = session.prepare(SELECT_ALL).executeQuery()) {
                while (rows.next()) {
                    accounts.add(account(rows));
                }
            }
            return accounts;
        });
    }

    @Override
    public boolean exists(String userId) {
        return get(userId).isPresent();
    }

    @Override
    public boolean create(Account account) {
        Objects.requireNonNull(account, "account");
        return scope.call("creating account", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, account.userId());
            TransactionScope.setNullableString(statement, 2, account.passwordHash());
            statement.setLong(3, account.createdTs());
            statement.setInt(4, account.deactivated() ? 1 : 0);
            statement.setInt(5, account.admin() ? 1 : 0);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean setPasswordHash(String userId, String passwordHash) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("setting password hash", session -> {
            PreparedStatement statement = session.prepare(UPDATE_PASSWORD);
            TransactionScope.setNullableString(statement, 1, passwordHash);
            statement.setString(2, userId);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean deactivate(String userId) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("deactivating account", session -> {
            PreparedStatement statement = session.prepare(UPDATE_DEACTIVATED);
            statement.setString(1, userId);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean setAdmin(String userId, boolean admin) {
        Objects.requireNonNull(userId, "userId");
        return scope.call("setting admin flag", session -> {
            PreparedStatement statement = session.prepare(UPDATE_ADMIN);
            statement.setInt(1, admin ? 1 : 0);
            statement.setString(2, userId);
            return statement.executeUpdate() == 1;
        });
    }

    private static Account account(ResultSet rows) throws SQLException {
        return new Account(rows.getString("user_id"), rows.getString("password_hash"), rows.getLong("created_ts"),
                rows.getInt("deactivated") == 1, rows.getInt("admin") == 1);
    }
}
