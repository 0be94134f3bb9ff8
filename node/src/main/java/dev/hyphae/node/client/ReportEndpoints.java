package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.ContentReport;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.util.Objects;

/**
 * Reporting content (client-server API, "Reporting content"): reports of rooms, events and users
 * are stored for the node's owner and go nowhere else. Requests are rate limited per user by the
 * HTTP server, as every endpoint is.
 */
public final class ReportEndpoints implements EndpointGroup {
    private final RoomQueries queries;
    private final Store store;
    private final Clock clock;

    public ReportEndpoints(RoomQueries queries, Store store, Clock clock) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/rooms/{roomId}/report/{eventId}", Authentication.REQUIRED,
                        this::reportEvent)
                .add(Method.POST, "/_matrix/client/v3/rooms/{roomId}/report", Authentication.REQUIRED, this::reportRoom)
                .add(Method.POST, "/_matrix/client/v3/users/{userId}/report", Authentication.REQUIRED, this::reportUser);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/report/{eventId}: only by members, of events in the room. */
    MatrixResponse reportEvent(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String eventId = request.pathParameter("eventId");
        String reporter = request.requester().userId().toString();
        String reason = request.jsonObject().string("reason");
        boolean joined = queries.roomExists(roomId)
                && queries.membership(roomId, reporter).map("join"::equals).orElse(false);
        boolean inRoom = joined && queries.event(eventId)
                .filter(event -> event.pdu().roomId().equals(roomId) && !event.outlier()).isPresent();
        if (!inRoom) {
            throw MatrixException.notFound("The event was not found or you are not joined to the room");
        }
        return store(ContentReport.ofEvent(reporter, roomId, eventId, reason, clock.millis()));
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/report: of any room this node holds. */
    MatrixResponse reportRoom(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String reason = request.jsonObject().string("reason");
        if (!queries.roomExists(roomId)) {
            throw MatrixException.notFound("The room was not found");
        }
        return store(ContentReport.ofRoom(request.requester().userId().toString(), roomId, reason, clock.millis()));
    }

    /**
     * POST /_matrix/client/v3/users/{userId}/report: of a local account, or of any user of
     * another server (whose existence this node cannot know).
     */
    MatrixResponse reportUser(MatrixRequest request) {
        UserId reported = UserIds.fromPath(request);
        String reason = request.jsonObject().string("reason");
        boolean local = reported.serverName().equals(request.requester().userId().serverName());
        if (local && !store.read(tx -> tx.accounts().exists(reported.toString()))) {
            throw MatrixException.notFound("The user was not found");
        }
        return store(ContentReport.ofUser(request.requester().userId().toString(), reported.toString(), reason,
                clock.millis()));
    }

    private MatrixResponse store(ContentReport report) {
        ServiceErrors.await(store.write(tx -> tx.contentReports().insert(report)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
