package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.filter.RoomEventFilter;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.StreamToken;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.node.visibility.HistoryVisibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The events around one event ("Events: Context", {@code GET /rooms/{roomId}/context/{eventId}}):
 * the event, up to half the limit before it and the rest after it, the room state at the last
 * event returned, and {@code start}/{@code end} tokens that {@code /messages} continues from.
 * Like {@code /messages}, it is for current members and serves only the events the room's history
 * visibility lets the user see: an event they may not see is answered as unknown (404).
 */
public final class ContextEndpoints implements EndpointGroup {
    /** The spec's default for {@code limit}. */
    static final int DEFAULT_LIMIT = 10;

    private final RoomQueries queries;
    private final RoomAccess access;
    private final EventChunks chunks;

    public ContextEndpoints(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.access = new RoomAccess(queries);
        this.chunks = new EventChunks(new HistoryVisibility(queries));
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/rooms/{roomId}/context/{eventId}", Authentication.REQUIRED,
                this::context);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/context/{eventId} */
    MatrixResponse context(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String eventId = request.pathParameter("eventId");
        String userId = request.requester().userId().toString();
        long readableUpTo = access.requireReader(roomId, userId);
        int limit = EventChunks.limit(request, DEFAULT_LIMIT, 0, RoomQueries.MAX_PAGE);
        RoomEventFilter filter = EventChunks.filter(request);
        RoomEvent event = queries.event(eventId)
                .filter(e -> e.pdu().roomId().equals(roomId) && chunks.visibility().maySee(userId, e))
                .orElseThrow(() -> MatrixException.notFound("No such event in " + roomId));

        // The limit is shared: half before (rounded down), the rest after.
        int beforeLimit = limit / 2;
        int afterLimit = limit - beforeLimit;
        List<RoomEvent> before = beforeLimit == 0 ? List.of() : ServiceErrors.call(() -> queries.timeline(roomId,
                new StreamToken(event.streamOrdering() - 1).toString(), TimelineDirection.BACKWARDS, beforeLimit)).events();
        List<RoomEvent> after = afterLimit == 0 ? List.of() : ServiceErrors.call(() -> queries.timeline(roomId,
                new StreamToken(event.streamOrdering()).toString(), TimelineDirection.FORWARDS, afterLimit)).events()
                .stream().filter(e -> e.streamOrdering() <= readableUpTo).toList();
        long start = (before.isEmpty() ? event.streamOrdering() : before.get(before.size() - 1).streamOrdering()) - 1;
        RoomEvent last = after.isEmpty() ? event : after.get(after.size() - 1);

        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("event", chunks.clientEvent(userId, event));
        response.set("events_before", chunks.chunk(userId, roomId, before, filter));
        response.set("events_after", chunks.chunk(userId, roomId, after, filter));
        response.put("start", new StreamToken(Math.max(0, start)).toString());
        response.put("end", new StreamToken(last.streamOrdering()).toString());
        response.set("state", state(last, filter, roomId, userId));
        return MatrixResponse.ok(response);
    }

    /** The room state after {@code last}, the last event returned, ordered by (type, state key). */
    private ArrayNode state(RoomEvent last, RoomEventFilter filter, String roomId, String userId) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        Map<StateKey, String> ids = queries.stateIdsAfter(last.eventId()).orElse(Map.of());
        List<RoomEvent> events = new ArrayList<>();
        for (String id : new TreeMap<>(ids).values()) {
            queries.event(id).ifPresent(events::add);
        }
        Map<String, Aggregations> redacted = queries.aggregations(events, userId);
        for (RoomEvent event : events) {
            ObjectNode json = ClientEventFormat.clientEvent(event.pdu(), redacted.get(event.eventId()));
            if (filter.matches(json, roomId)) {
                array.add(json);
            }
        }
        return array;
    }
}
