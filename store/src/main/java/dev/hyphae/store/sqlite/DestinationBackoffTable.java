package dev.hyphae.store.sqlite;

import dev.hyphae.store.DestinationBackoff;
import dev.hyphae.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The destination_backoff table: consecutive delivery failures per destination. */
final class DestinationBackoffTable {
    static final String SCHEMA_V2 = """
            CREATE TABLE destination_backoff (
                destination TEXT NOT NULL PRIMARY KEY,
                failures INTEGER NOT NULL CHECK (failures > 0),
                retry_at_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";

    static final String SELECT = "SELECT failures, retry_at_ts FROM destination_backoff WHERE destination = ?";
    static final String UPSERT_FAILURE = "INSERT INTO destination_backoff (destination, failures, retry_at_ts)"
            + " VALUES (?, 1, ?) ON CONFLICT (destination) DO UPDATE SET"
            + " failures = failures + 1, retry_at_ts = excluded.retry_at_ts";
    static final String DELETE = "DELETE FROM destination_backoff WHERE destination = ?";

    private final TransactionScope scope;

    DestinationBackoffTable(TransactionScope scope) {
        this.scope = scope;
    }

    Optional<DestinationBackoff> get(String destination) {
        return scope.call("reading destination backoff", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, destination);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new DestinationBackoff(destination, rows.getInt(1), rows.getLong(2)))
                        : Optional.empty();
            }
        });
    }

    DestinationBackoff recordFailure(String destination, long retryAtTs) {
        scope.call("recording delivery failure", session -> {
            PreparedStatement statement = session.prepare(UPSERT_FAILURE);
            statement.setString(1, destination);
            statement.setLong(2, retryAtTs);
            return statement.executeUpdate();
        });
        return get(destination).orElseThrow(() -> new StoreException("backoff of " + destination + " vanished"));
    }

    void clear(String destination) {
        scope.call("clearing destination backoff", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            statement.setString(1, destination);
            return statement.executeUpdate();
        });
    }
}
