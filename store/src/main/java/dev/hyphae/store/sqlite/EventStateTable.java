package dev.hyphae.store.sqlite;

import dev.hyphae.store.EventStateGroups;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The event_state table: which state groups hold the state before and after each event. */
final class EventStateTable {
    static final String SCHEMA_V1 = """
            CREATE TABLE event_state (
                event_id TEXT NOT NULL PRIMARY KEY REFERENCES events (event_id),
                state_before_group INTEGER NOT NULL REFERENCES state_groups (group_id),
                state_after_group INTEGER NOT NULL REFERENCES state_groups (group_id)
            ) WITHOUT ROWID""";

    static final String UPSERT = "INSERT INTO event_state (event_id, state_before_group, state_after_group)"
            + " VALUES (?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET"
            + " state_before_group = excluded.state_before_group, state_after_group = excluded.state_after_group";
    static final String SELECT = "SELECT state_before_group, state_after_group FROM event_state WHERE event_id = ?";

    private final TransactionScope scope;

    EventStateTable(TransactionScope scope) {
        this.scope = scope;
    }

    void upsert(EventStateGroups groups) {
        scope.call("recording event state", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, groups.eventId());
            statement.setLong(2, groups.stateBeforeGroup());
            statement.setLong(3, groups.stateAfterGroup());
            return statement.executeUpdate();
        });
    }

    Optional<EventStateGroups> get(String eventId) {
        return scope.call("reading event state", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new EventStateGroups(eventId, rows.getLong(1), rows.getLong(2)))
                        : Optional.empty();
            }
        });
    }
}
