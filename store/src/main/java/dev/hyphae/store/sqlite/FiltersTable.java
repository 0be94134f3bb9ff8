package dev.hyphae.store.sqlite;

import dev.hyphae.store.Filters;
import dev.hyphae.store.StoredFilter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The filters table. Filter IDs count up per user from 0 and are handed out as decimal text. */
final class FiltersTable implements Filters.Writer {
    static final String SCHEMA_V3 = """
            CREATE TABLE filters (
                user_id TEXT NOT NULL REFERENCES accounts (user_id),
                filter_id INTEGER NOT NULL,
                filter_json TEXT NOT NULL,
                PRIMARY KEY (user_id, filter_id)
            ) WITHOUT ROWID""";

    static final String SELECT_NEXT_ID = "SELECT COALESCE(MAX(filter_id) + 1, 0) FROM filters WHERE user_id = ?";
    static final String INSERT = "INSERT INTO filters (user_id, filter_id, filter_json) VALUES (?, ?, ?)";
    static final String SELECT = "SELECT filter_json FROM filters WHERE user_id = ? AND filter_id = ?";

    private final TransactionScope scope;

    FiltersTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredFilter> get(String userId, String filterId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(filterId, "filterId");
        // Only canonical decimal IDs were handed out; anything else ("01", "+1", "x") names no filter.
        if (!filterId.matches("0|[1-9][0-9]{0,17}")) {
            return Optional.empty();
        }
        long id = Long.parseLong(filterId);
        return scope.call("reading filter", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setLong(2, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new StoredFilter(userId, filterId, rows.getString(1)))
                        : Optional.empty();
            }
        });
    }

    @Override
    public StoredFilter insert(String userId, String filterJson) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(filterJson, "filterJson");
        return scope.call("storing filter", session -> {
            PreparedStatement next = session.prepare(SELECT_NEXT_ID);
            next.setString(1, userId);
            long id;
            try (ResultSet rows = next.executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
            PreparedStatement insert = session.prepare(INSERT);
            insert.setString(1, userId);
            insert.setLong(2, id);
            insert.setString(3, filterJson);
            insert.executeUpdate();
            return new StoredFilter(userId, Long.toString(id), filterJson);
        });
    }
}
