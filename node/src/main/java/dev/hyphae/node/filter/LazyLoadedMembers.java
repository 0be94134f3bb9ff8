package dev.hyphae.node.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Lazy-loading of room members: with {@code lazy_load_members}, the state sent with a batch of
 * timeline events keeps only the membership events of those events' senders (and of the syncing
 * user, whom clients always need), and, unless {@code include_redundant_members} is set, drops
 * membership events already sent to this client.
 */
public final class LazyLoadedMembers {
    private LazyLoadedMembers() {
    }

    /**
     * The state events to send.
     *
     * @param alreadySent event IDs of membership events this client was sent before
     */
    public static List<ObjectNode> selectState(RoomEventFilter filter, List<ObjectNode> state,
                                               Collection<ObjectNode> timeline, String userId,
                                               Set<String> alreadySent) {
        Objects.requireNonNull(userId, "userId");
        if (!filter.lazyLoadMembers()) {
            return List.copyOf(state);
        }
        Set<String> wanted = new HashSet<>();
        wanted.add(userId);
        for (ObjectNode event : timeline) {
            if (event.path("sender").isTextual()) {
                wanted.add(event.get("sender").asText());
            }
        }
        List<ObjectNode> selected = new ArrayList<>();
        for (ObjectNode event : state) {
            if (!"m.room.member".equals(event.path("type").asText())) {
                selected.add(event);
                continue;
            }
            boolean relevant = wanted.contains(event.path("state_key").asText());
            boolean redundant = alreadySent.contains(event.path("event_id").asText());
            if (relevant && (!redundant || filter.sendsRedundantMembers())) {
                selected.add(event);
            }
        }
        return selected;
    }
}
