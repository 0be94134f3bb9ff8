package dev.hyphae.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;

/** The rowid of the connection's last INSERT, the position or number a new row was given. */
final class LastInsertRowId {
    static final String SELECT = "SELECT last_insert_rowid()";

    private LastInsertRowId() {
    }

    static long of(SqliteSession session) throws SQLException {
        try (ResultSet rows = session.prepare(SELECT).executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
