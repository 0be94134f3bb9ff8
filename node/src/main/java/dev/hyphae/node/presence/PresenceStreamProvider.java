package dev.hyphae.node.presence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.StreamProvider;
import dev.hyphae.node.sync.SyncRequest;
import dev.hyphae.node.sync.SyncResponse;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The presence stream of /sync: the {@code presence} section with the changed presence of the users
 * sharing a room with the syncing user (and their own). Each sync first tells the presence service
 * that the user is syncing, with its {@code set_presence}.
 */
public final class PresenceStreamProvider implements StreamProvider {
    private final PresenceService presence;
    private final RoomQueries queries;

    public PresenceStreamProvider(PresenceService presence, RoomQueries queries) {
        this.presence = Objects.requireNonNull(presence, "presence");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public long latestPosition() {
        return presence.currentPosition();
    }

    @Override
    public void beforeSync(SyncRequest request) {
        presence.syncing(request.userId(), request.setPresence());
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        String userId = request.userId();
        // Presence lives in memory: after a restart a client's token is ahead of the stream.
        long start = from > to ? 0 : from;
        Set<String> visible = new TreeSet<>();
        visible.add(userId);
        for (String roomId : queries.joinedRooms(userId)) {
            for (var member : queries.members(roomId)) {
                if (member.membership().equals("join")) {
                    visible.add(member.userId());
                }
            }
        }
        Filter filter = request.filter();
        long now = presence.now();
        ArrayNode events = null;
        for (PresenceState state : presence.changedBetween(visible, start, to)) {
            ObjectNode event = state.event(now);
            if (filter.presence().matches(event)) {
                if (events == null) {
                    events = response.section("presence").putArray("events");
                }
                events.add(event);
            }
        }
        return to;
    }
}
