package dev.hyphae.node.federation;

import dev.hyphae.node.roomserver.RoomEventListener;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.RoomServerException;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The current transport policy of each room, read from the room's current state and kept until
 * the room gets a new event (which may change the policy, or the state resolution that picks it).
 * A room without current state here (unknown, or only an invite) has the default policy.
 */
public final class RoomTransportPolicies implements Function<String, TransportPolicy>, RoomEventListener {
    private final RoomQueries queries;
    private final Map<String, TransportPolicy> known = new ConcurrentHashMap<>();
    /** Counts new events: a policy read while one arrived may be stale and is not kept. */
    private final AtomicLong events = new AtomicLong();

    public RoomTransportPolicies(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public TransportPolicy apply(String roomId) {
        TransportPolicy cached = known.get(roomId);
        if (cached != null) {
            return cached;
        }
        long before = events.get();
        TransportPolicy policy;
        try {
            policy = queries.stateEvent(roomId, TransportPolicy.EVENT_TYPE, "")
                    .map(event -> TransportPolicy.ofContent(event.pdu().contentView()))
                    .orElse(TransportPolicy.DEFAULT);
        } catch (RoomServerException | IllegalStateException e) {
            // No current state here yet (a room being joined, an invite): nothing to obey.
            return TransportPolicy.DEFAULT;
        }
        if (events.get() == before) {
            known.put(roomId, policy);
            if (events.get() != before) {
                known.remove(roomId, policy); // an event came between the check and the put
            }
        }
        return policy;
    }

    @Override
    public void onNewEvent(String roomId, String eventId, long streamOrdering) {
        events.incrementAndGet();
        known.remove(roomId);
    }
}
