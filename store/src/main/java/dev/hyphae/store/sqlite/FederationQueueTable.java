package dev.hyphae.store.sqlite;

import dev.hyphae.store.DestinationBackoff;
import dev.hyphae.store.FederationQueue;
import dev.hyphae.store.QueuedItem;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The federation_queue table, with each destination's backoff in {@link DestinationBackoffTable}. */
final class FederationQueueTable implements FederationQueue.Writer {
    static final String SCHEMA_V2 = """
            CREATE TABLE federation_queue (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                destination TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('PDU', 'EDU')),
                json TEXT NOT NULL,
                queued_ts INTEGER NOT NULL
            )""";
    static final String INDEX_DESTINATION_V2 = "CREATE INDEX federation_queue_destination ON federation_queue (destination, id)";

    static final String INSERT = "INSERT INTO federation_queue (destination, kind, json, queued_ts) VALUES (?, ?, ?, ?)";
    static final String SELECT_PENDING = "SELECT id, destination, kind, json, queued_ts FROM federation_queue"
            + " WHERE destination = ? ORDER BY id LIMIT ?";
    static final String COUNT = "SELECT COUNT(*) FROM federation_queue WHERE destination = ?";
    static final String SELECT_DESTINATIONS = "SELECT DISTINCT destination FROM federation_queue ORDER BY destination";
    static final String DELETE = "DELETE FROM federation_queue WHERE id = ?";

    private final TransactionScope scope;
    private final DestinationBackoffTable backoff;

    FederationQueueTable(TransactionScope scope) {
        this.scope = scope;
        this.backoff = new DestinationBackoffTable(scope);
    }

    @Override
    public List<QueuedItem> pending(String destination, int limit) {
        Objects.requireNonNull(destination, "destination");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return scope.call("reading federation queue", session -> {
            PreparedStatement statement = session.prepare(SELECT_PENDING);
            statement.setString(1, destination);
            statement.setInt(2, limit);
            List<QueuedItem> items = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    items.add(new QueuedItem(rows.getLong("id"), rows.getString("destination"),
                            QueuedItem.Kind.valueOf(rows.getString("kind")), rows.getString("json"),
                            rows.getLong("queued_ts")));
                }
            }
            return items;
        });
    }

    @Override
    public int count(String destination) {
        Objects.requireNonNull(destination, "destination");
        return scope.call("counting federation queue", session -> {
            PreparedStatement statement = session.prepare(COUNT);
            statement.setString(1, destination);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    @Override
    public Set<String> destinationsWithPending() {
        return scope.call("listing federation destinations", session -> {
            Set<String> destinations = new LinkedHashSet<>();
            try (ResultSet rows = session.prepare(SELECT_DESTINATIONS).executeQuery()) {
                while (rows.next()) {
                    destinations.add(rows.getString(1));
                }
            }
            return destinations;
        });
    }

    @Override
    public Optional<DestinationBackoff> backoff(String destination) {
        Objects.requireNonNull(destination, "destination");
        return backoff.get(destination);
    }

    @Override
    public long enqueue(String destination, QueuedItem.Kind kind, String json, long queuedTs) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(json, "json");
        return scope.call("queueing federation item", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, destination);
            statement.setString(2, kind.name());
            statement.setString(3, json);
            statement.setLong(4, queuedTs);
            statement.executeUpdate();
            try (ResultSet keys = session.prepare("SELECT last_insert_rowid()").executeQuery()) {
                keys.next();
                return keys.getLong(1);
            }
        });
    }

    @Override
    public int remove(Collection<Long> ids) {
        Objects.requireNonNull(ids, "ids");
        return scope.call("removing federation items", session -> {
            PreparedStatement statement = session.prepare(DELETE);
            int removed = 0;
            for (long id : ids) {
                statement.setLong(1, id);
                removed += statement.executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public DestinationBackoff recordFailure(String destination, long retryAtTs) {
        Objects.requireNonNull(destination, "destination");
        return backoff.recordFailure(destination, retryAtTs);
    }

    @Override
    public void recordSuccess(String destination) {
        Objects.requireNonNull(destination, "destination");
        backoff.clear(destination);
    }
}
