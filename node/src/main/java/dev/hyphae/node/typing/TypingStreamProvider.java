package dev.hyphae.node.typing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.StreamProvider;
import dev.hyphae.node.sync.SyncRequest;
import dev.hyphae.node.sync.SyncResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The typing stream of /sync: an {@code m.typing} event in the ephemeral section of each joined room whose typing changed. */
public final class TypingStreamProvider implements StreamProvider {
    private final TypingService typing;
    private final RoomQueries queries;

    public TypingStreamProvider(TypingService typing, RoomQueries queries) {
        this.typing = Objects.requireNonNull(typing, "typing");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public long latestPosition() {
        return typing.currentPosition();
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        // Typing lives in memory: after a restart a client's token is ahead of the stream, so it
        // gets the rooms where someone types now, as after an initial sync.
        long start = from > to ? 0 : from;
        Filter filter = request.filter();
        List<String> joined = queries.joinedRooms(request.userId());
        for (Map.Entry<String, List<String>> room : typing.changedBetween(joined, start, to).entrySet()) {
            String roomId = room.getKey();
            ObjectNode event = TypingService.event(room.getValue());
            if (filter.room().includesRoom(roomId) && filter.room().ephemeral().matches(event, roomId)) {
                response.addEphemeral(roomId, event);
            }
        }
        return to;
    }
}
