package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The published room directory of this server ("Published room directory"): which rooms are
 * listed, and the listing itself, largest rooms first. Pagination tokens are offsets into that
 * order ({@code p<offset>}), so a room that grows between two pages may be seen twice or not at all.
 */
public final class PublicRoomList {
    private static final String TOKEN_PREFIX = "p";

    private final Store store;
    private final RoomQueries queries;
    private final AliasDirectory aliases;
    private final RemoteDirectory remote;
    private final Clock clock;

    /** @param aliases who may change the canonical alias may also list and unlist the room */
    public PublicRoomList(Store store, RoomQueries queries, AliasDirectory aliases, RemoteDirectory remote,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.aliases = Objects.requireNonNull(aliases, "aliases");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * GET /directory/list/room/{roomId}: {@code public} or {@code private}.
     *
     * @throws DirectoryException M_NOT_FOUND for a room this node does not hold
     */
    public String visibility(String roomId) {
        requireKnown(roomId);
        return store.read(tx -> tx.publishedRooms().isPublished(roomId)) ? "public" : "private";
    }

    /**
     * PUT /directory/list/room/{roomId}: lists or unlists the room. Only joined users who may
     * change the room's canonical alias may do so.
     *
     * @throws DirectoryException M_NOT_FOUND for an unknown room, M_INVALID_PARAM for a visibility
     *                            other than public or private, M_FORBIDDEN for other users
     */
    public void setVisibility(String roomId, String userId, String visibility) {
        requireKnown(roomId);
        if (!visibility.equals("public") && !visibility.equals("private")) {
            throw DirectoryException.invalidParam("visibility must be public or private");
        }
        boolean joined = queries.membership(roomId, userId).map("join"::equals).orElse(false);
        if (!joined || !aliases.maySendCanonicalAlias(roomId, userId)) {
            throw DirectoryException.forbidden("Only members who may change the canonical alias of " + roomId
                    + " may change its visibility in the directory");
        }
        setPublished(roomId, visibility.equals("public"));
    }

    /** Lists or unlists the room without checks, as {@code createRoom} with {@code visibility} does. */
    public void setPublished(String roomId, boolean published) {
        store.write(tx -> {
            tx.publishedRooms().setPublished(roomId, published, clock.millis());
            return null;
        }).join();
    }

    /**
     * Lists {@code newRoomId} in place of {@code oldRoomId} when the old room is listed, as a room
     * upgrade does; an unlisted room's replacement stays unlisted.
     *
     * @return whether the old room was listed (and the listing moved)
     */
    public boolean moveListing(String oldRoomId, String newRoomId) {
        Objects.requireNonNull(newRoomId, "newRoomId");
        return store.write(tx -> {
            if (!tx.publishedRooms().isPublished(oldRoomId)) {
                return false;
            }
            long now = clock.millis();
            tx.publishedRooms().setPublished(oldRoomId, false, now);
            tx.publishedRooms().setPublished(newRoomId, true, now);
            return true;
        }).join();
    }

    /**
     * /publicRooms of this server: a page of the published rooms matching the query, with
     * {@code next_batch}, {@code prev_batch} and {@code total_room_count_estimate}.
     *
     * @throws DirectoryException M_INVALID_PARAM for a {@code since} token this server did not give
     */
    public ObjectNode publicRooms(PublicRoomsQuery query) {
        int offset = query.since().map(PublicRoomList::offset).orElse(0);
        List<RoomSummary> matching = new ArrayList<>();
        for (String roomId : store.read(tx -> tx.publishedRooms().all())) {
            if (!queries.roomExists(roomId)) {
                continue;
            }
            RoomSummary summary = RoomSummary.of(roomId, queries.currentState(roomId), joinedMembers(roomId));
            if (query.roomTypes().matches(summary.roomType())
                    && query.genericSearchTerm().map(summary::matches).orElse(true)) {
                matching.add(summary);
            }
        }
        matching.sort(Comparator.comparingLong(RoomSummary::joinedMembers).reversed()
                .thenComparing(RoomSummary::roomId));
        int from = Math.min(offset, matching.size());
        int to = query.limit() == 0 ? matching.size() : (int) Math.min((long) from + query.limit(), matching.size());
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode chunk = response.putArray("chunk");
        matching.subList(from, to).forEach(summary -> chunk.add(summary.toJson()));
        if (to < matching.size()) {
            response.put("next_batch", TOKEN_PREFIX + to);
        }
        if (from > 0) {
            int previous = query.limit() == 0 ? 0 : Math.max(0, from - query.limit());
            response.put("prev_batch", TOKEN_PREFIX + previous);
        }
        response.put("total_room_count_estimate", matching.size());
        return response;
    }

    /**
     * /publicRooms of another server, asked over federation.
     *
     * @param request the client's {@code limit}, {@code since} and {@code filter} as JSON
     */
    public ObjectNode remotePublicRooms(String serverName, ObjectNode request) {
        return remote.publicRooms(serverName, request);
    }

    private long joinedMembers(String roomId) {
        return queries.members(roomId).stream().map(Membership::membership).filter("join"::equals).count();
    }

    private void requireKnown(String roomId) {
        if (!queries.roomExists(roomId)) {
            throw DirectoryException.notFound("Room not found: " + roomId);
        }
    }

    private static int offset(String token) {
        if (token.startsWith(TOKEN_PREFIX) && token.substring(1).matches("0|[1-9][0-9]{0,8}")) {
            return Integer.parseInt(token.substring(1));
        }
        throw DirectoryException.invalidParam("Unknown pagination token: " + token);
    }
}
