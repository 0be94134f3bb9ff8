package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.accountdata.AccountDataChanges;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The account data stream of /sync: the global {@code account_data} and the {@code account_data}
 * of joined rooms that changed since the token.
 */
final class AccountDataStreamProvider implements StreamProvider {
    private final AccountDataService accountData;
    private final RoomQueries queries;

    AccountDataStreamProvider(AccountDataService accountData, RoomQueries queries) {
        this.accountData = Objects.requireNonNull(accountData, "accountData");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public long latestPosition() {
        return accountData.currentPosition();
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        AccountDataChanges changes = accountData.changesSince(UserId.parse(request.userId()), from);
        Filter filter = request.filter();
        for (ObjectNode event : changes.global()) {
            if (filter.accountData().matches(event)) {
                response.addAccountData(event);
            }
        }
        if (!changes.rooms().isEmpty()) {
            Set<String> joined = new HashSet<>(queries.joinedRooms(request.userId()));
            for (Map.Entry<String, List<ObjectNode>> room : changes.rooms().entrySet()) {
                String roomId = room.getKey();
                if (!joined.contains(roomId) || !filter.room().includesRoom(roomId)) {
                    continue;
                }
                for (ObjectNode event : room.getValue()) {
                    if (filter.room().accountData().matches(event, roomId)) {
                        ObjectNode entry = response.joinedRoom(roomId);
                        ObjectNode section = entry.has("account_data") ? (ObjectNode) entry.get("account_data")
                                : entry.putObject("account_data");
                        ArrayNode events = section.has("events") ? (ArrayNode) section.get("events")
                                : section.putArray("events");
                        events.add(event);
                    }
                }
            }
        }
        // The changes were read in one snapshot with their position: nothing falls between two syncs.
        return changes.position();
    }
}
