package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.filter.RoomEventFilter;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.relations.ChildEvents;
import dev.hyphae.node.relations.ThreadRoots;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.StreamToken;
import dev.hyphae.node.visibility.HistoryVisibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The relationships API ({@code GET /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]})
 * and the thread list ({@code GET /rooms/{roomId}/threads}). Returned events carry their bundled
 * aggregations. For current members only, with only the events the room's history visibility lets
 * the user see: a parent event they may not see is answered as unknown (404), hidden children and
 * thread roots are left out of the chunk (which may then hold fewer events than the limit).
 *
 * <p>Pagination tokens are stream positions: this API's own {@code next_batch}, a {@code /messages}
 * token, or a {@code /sync} {@code next_batch} (whose first part is the room event position).
 */
public final class RelationsEndpoints implements EndpointGroup {
    /** Page size when the client sets none. */
    static final int DEFAULT_LIMIT = 20;
    /** The largest page, whatever the client asks. */
    static final int MAX_LIMIT = 100;

    private final RoomQueries queries;
    private final ChildEvents children;
    private final ThreadRoots threads;
    private final RoomAccess access;
    private final EventChunks chunks;

    public RelationsEndpoints(RoomQueries queries) {
        this(queries, queries.childEvents(), queries.threadRoots());
    }

    public RelationsEndpoints(RoomQueries queries, ChildEvents children, ThreadRoots threads) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.children = Objects.requireNonNull(children, "children");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.access = new RoomAccess(queries);
        this.chunks = new EventChunks(new HistoryVisibility(queries));
    }

    @Override
    public void register(RouteTable routes) {
        String room = "/_matrix/client/v1/rooms/{roomId}";
        routes.add(Method.GET, room + "/relations/{eventId}", Authentication.REQUIRED, this::relations)
                .add(Method.GET, room + "/relations/{eventId}/{relType}", Authentication.REQUIRED, this::relations)
                .add(Method.GET, room + "/relations/{eventId}/{relType}/{eventType}", Authentication.REQUIRED,
                        this::relations)
                .add(Method.GET, room + "/threads", Authentication.REQUIRED, this::threads);
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]] */
    MatrixResponse relations(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String eventId = request.pathParameter("eventId");
        String userId = request.requester().userId().toString();
        String relType = optionalPath(request, "relType");
        String eventType = optionalPath(request, "eventType");
        boolean forwards = switch (request.queryParameter("dir").orElse("b")) {
            case "b" -> false;
            case "f" -> true;
            default -> throw MatrixException.invalidParam("dir must be b or f");
        };
        Optional<String> recurseParameter = request.queryParameter("recurse");
        boolean recurse = recurseParameter.map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("recurse must be true or false");
        }).orElse(false);
        Optional<String> from = nonEmpty(request, "from");
        Long fromPosition = from.map(RelationsEndpoints::position).orElse(null);
        Long toPosition = nonEmpty(request, "to").map(RelationsEndpoints::position).orElse(null);
        int limit = EventChunks.limit(request, DEFAULT_LIMIT, 1, MAX_LIMIT);
        access.requireReader(roomId, userId);
        queries.event(eventId)
                .filter(e -> e.pdu().roomId().equals(roomId) && chunks.visibility().maySee(userId, e))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
        RoomVersion version = ServiceErrors.call(() -> queries.roomVersion(roomId));

        ChildEvents.Page page = children.page(roomId, version, eventId, relType, eventType, fromPosition, toPosition,
                forwards, limit, recurse);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("chunk", chunk(roomId, page.events(), userId));
        if (page.next() != null) {
            response.put("next_batch", new StreamToken(page.next()).toString());
        }
        from.ifPresent(token -> response.put("prev_batch", token));
        if (recurseParameter.isPresent()) {
            response.put("recursion_depth", recurse ? ChildEvents.RECURSION_DEPTH : 1);
        }
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/threads */
    MatrixResponse threads(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String userId = request.requester().userId().toString();
        String participant = switch (request.queryParameter("include").orElse("all")) {
            case "all" -> null;
            case "participated" -> userId;
            default -> throw MatrixException.invalidParam("include must be all or participated");
        };
        Long from = nonEmpty(request, "from").map(RelationsEndpoints::position).orElse(null);
        int limit = EventChunks.limit(request, DEFAULT_LIMIT, 1, MAX_LIMIT);
        access.requireReader(roomId, userId);
        RoomVersion version = ServiceErrors.call(() -> queries.roomVersion(roomId));
        ThreadRoots.Page page = threads.page(roomId, version, participant, from, limit);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("chunk", chunk(roomId, page.roots(), userId));
        if (page.next() != null) {
            response.put("next_batch", new StreamToken(page.next()).toString());
        }
        return MatrixResponse.ok(response);
    }

    /** The events the user may see, looked up again for their place in the stream that visibility needs. */
    private ArrayNode chunk(String roomId, List<Pdu> events, String userId) {
        List<RoomEvent> roomEvents = new ArrayList<>();
        events.forEach(pdu -> queries.event(pdu.eventId()).ifPresent(roomEvents::add));
        return chunks.chunk(userId, roomId, roomEvents, RoomEventFilter.ALL);
    }

    /** A token's room event position; a /sync token's first part is that position. */
    static long position(String token) {
        int separator = token.indexOf('_');
        try {
            return StreamToken.parse(separator < 0 ? token : token.substring(0, separator)).position();
        } catch (RuntimeException e) {
            throw MatrixException.invalidParam("Not a pagination token: " + token);
        }
    }

    private static Optional<String> nonEmpty(MatrixRequest request, String name) {
        return request.queryParameter(name).filter(value -> !value.isEmpty());
    }

    private static String optionalPath(MatrixRequest request, String name) {
        try {
            return request.pathParameter(name);
        } catch (IllegalArgumentException absent) {
            return null;
        }
    }
}
