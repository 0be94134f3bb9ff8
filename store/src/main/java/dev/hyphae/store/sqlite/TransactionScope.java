package dev.hyphae.store.sqlite;

import dev.hyphae.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The session a transaction handle works on, valid only until its unit returns, so that a handle
 * kept past its unit fails loudly instead of writing outside any transaction.
 */
final class TransactionScope {
    @FunctionalInterface
    interface SqlCall<T> {
        T run(SqliteSession session) throws SQLException;
    }

    private final SqliteSession session;
    private volatile boolean open = true;

    TransactionScope(SqliteSession session) {
        this.session = session;
    }

    /** Runs JDBC work, turning an {@link SQLException} into a {@link StoreException} naming it. */
    <T> T call(String operation, SqlCall<T> call) {
        if (!open) {
            throw new IllegalStateException("transaction handle used after its unit of work returned");
        }
        try {
            return call.run(session);
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        }
    }

    void end() {
        open = false;
    }

    static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }

    static Long getNullableLong(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
