package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.filter.Filter;
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
import dev.hyphae.node.roomserver.TimelinePage;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Paginating a room's timeline ({@code GET /rooms/{roomId}/messages}). History visibility is not
 * applied: a current member reads the whole stored timeline. With {@code lazy_load_members} in the
 * filter, {@code state} carries the membership events of the chunk's senders.
 */
public final class MessagesEndpoints implements EndpointGroup {
    /** The spec's default page size. */
    static final int DEFAULT_LIMIT = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RoomQueries queries;
    private final RoomAccess access;

    public MessagesEndpoints(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.access = new RoomAccess(queries);
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/rooms/{roomId}/messages", Authentication.REQUIRED, this::messages);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/messages */
    MatrixResponse messages(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        access.requireJoined(roomId, request.requester().userId().toString());
        TimelineDirection direction = ServiceErrors.call(() -> TimelineDirection.fromWire(
                request.queryParameter("dir").orElseThrow(() -> MatrixException.missingParam("dir is required"))));
        String from = request.queryParameter("from").filter(s -> !s.isEmpty()).orElse(null);
        Optional<StreamToken> to = request.queryParameter("to").filter(s -> !s.isEmpty())
                .map(token -> ServiceErrors.call(() -> StreamToken.parse(token)));
        int limit = limit(request);
        RoomEventFilter filter = filter(request);
        TimelinePage page = ServiceErrors.call(() -> queries.timeline(roomId, from, direction, limit));

        ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
        Map<String, Aggregations> aggregations = queries.aggregations(page.events(),
                request.requester().userId().toString());
        boolean reachedTo = false;
        for (RoomEvent event : page.events()) {
            if (to.isPresent() && (direction == TimelineDirection.BACKWARDS
                    ? event.streamOrdering() <= to.get().position()
                    : event.streamOrdering() > to.get().position())) {
                reachedTo = true;
                break;
            }
            if (event.outlier() || event.rejectionReason() != null) {
                continue;
            }
            ObjectNode json = ClientEventFormat.clientEvent(event.pdu(), aggregations.get(event.eventId()));
            if (filter.matches(json, roomId)) {
                chunk.add(json);
            }
        }
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

    private static int limit(MatrixRequest request) {
        Optional<String> limit = request.queryParameter("limit");
        if (limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.get());
            if (value < 1) {
                throw MatrixException.invalidParam("limit must be positive");
            }
            return Math.min(value, RoomQueries.MAX_PAGE);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("limit must be an integer");
        }
    }

    /** The {@code filter} parameter, a RoomEventFilter as JSON. */
    static RoomEventFilter filter(MatrixRequest request) {
        Optional<String> parameter = request.queryParameter("filter").filter(s -> !s.isEmpty());
        if (parameter.isEmpty()) {
            return RoomEventFilter.ALL;
        }
        JsonNode json;
        try {
            json = JSON.readTree(parameter.get());
        } catch (IOException e) {
            throw MatrixException.badJson("filter is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw MatrixException.badJson("filter must be a JSON object");
        }
        // A RoomEventFilter is what a Filter holds under room.timeline; reading it there reuses its checks.
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putObject("room").set("timeline", json);
        return ServiceErrors.call(() -> Filter.parse(wrapper)).room().timeline();
    }
}
