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
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.StreamToken;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.node.roomserver.TimelinePage;
import dev.hyphae.node.visibility.HistoryVisibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Paginating a room's timeline ({@code GET /rooms/{roomId}/messages}) for a current member, with
 * only the events the room's history visibility lets the user see (a page may hold fewer events
 * than the limit; {@code end} still continues after the events looked at). With
 * {@code lazy_load_members} in the filter, {@code state} carries the membership events of the
 * chunk's senders.
 */
public final class MessagesEndpoints implements EndpointGroup {
    /** The spec's default page size. */
    static final int DEFAULT_LIMIT = 10;

    private final RoomQueries queries;
    private final RoomAccess access;
    private final EventChunks chunks;

    public MessagesEndpoints(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.access = new RoomAccess(queries);
        this.chunks = new EventChunks(new HistoryVisibility(queries));
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/rooms/{roomId}/messages", Authentication.REQUIRED, this::messages);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/messages */
    MatrixResponse messages(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String userId = request.requester().userId().toString();
        long readableUpTo = access.requireReader(roomId, userId);
        TimelineDirection direction = ServiceErrors.call(() -> TimelineDirection.fromWire(
                request.queryParameter("dir").orElseThrow(() -> MatrixException.missingParam("dir is required"))));
        String requestedFrom = request.queryParameter("from").filter(s -> !s.isEmpty()).orElse(null);
        String from = requestedFrom;
        Optional<StreamToken> to = request.queryParameter("to").filter(s -> !s.isEmpty())
                .map(token -> ServiceErrors.call(() -> StreamToken.parse(token)));
        if (readableUpTo != Long.MAX_VALUE) {
            // A user who left pages from their leave backwards, and forwards no further than it.
            StreamToken leave = new StreamToken(readableUpTo);
            if (direction == TimelineDirection.BACKWARDS) {
                long start = requestedFrom == null ? Long.MAX_VALUE
                        : ServiceErrors.call(() -> StreamToken.parse(requestedFrom)).position();
                from = leave.position() < start ? leave.toString() : from;
            } else if (to.isEmpty() || to.get().position() > leave.position()) {
                to = Optional.of(leave);
            }
        }
        int limit = EventChunks.limit(request, DEFAULT_LIMIT, 1, RoomQueries.MAX_PAGE);
        String pageFrom = from;
        RoomEventFilter filter = EventChunks.filter(request);
        TimelinePage page = ServiceErrors.call(() -> queries.timeline(roomId, pageFrom, direction, limit));

        List<RoomEvent> beforeTo = new ArrayList<>();
        boolean reachedTo = false;
        for (RoomEvent event : page.events()) {
            if (to.isPresent() && (direction == TimelineDirection.BACKWARDS
                    ? event.streamOrdering() <= to.get().position()
                    : event.streamOrdering() > to.get().position())) {
                reachedTo = true;
                break;
            }
            beforeTo.add(event);
        }
        ArrayNode chunk = chunks.chunk(userId, roomId, beforeTo, filter);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("chunk", chunk);
        if (filter.lazyLoadMembers() && !chunk.isEmpty()) {
            response.set("state", senderMembers(chunk));
        }
        response.put("start", page.start());
        if (page.end() != null && !reachedTo) {
            response.put("end", page.end());
        }
        return MatrixResponse.ok(response);
    }

    /**
     * The membership events of the chunk's senders, as the room's state after the chunk's first
     * event has them. Members sent by earlier pages are sent again: the spec lets a server send
     * redundant members, and this endpoint keeps no memory of what a client was sent.
     */
    private ArrayNode senderMembers(ArrayNode chunk) {
        Set<String> senders = new TreeSet<>();
        chunk.forEach(event -> senders.add(event.path("sender").asText()));
        Map<StateKey, String> state = queries.stateIdsAfter(chunk.get(0).path("event_id").asText()).orElse(Map.of());
        ArrayNode members = JsonNodeFactory.instance.arrayNode();
        for (String sender : senders) {
            String memberEventId = state.get(StateKey.of("m.room.member", sender));
            if (memberEventId != null) {
                queries.event(memberEventId).ifPresent(member -> members.add(ClientEventFormat.clientEvent(member)));
            }
        }
        return members;
    }
}
