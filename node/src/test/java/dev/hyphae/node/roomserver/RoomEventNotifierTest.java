package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomEventNotifierTest {
    @Test
    void aFailingListenerDoesNotKeepTheOthersFromHearing() {
        RoomEventNotifier notifier = new RoomEventNotifier();
        List<String> heard = new ArrayList<>();
        notifier.addListener((room, event, ordering) -> {
            throw new IllegalStateException("broken listener");
        });
        notifier.addListener((room, event, ordering) -> heard.add(room + " " + event + " " + ordering));
        notifier.notifyNewEvent("!r", "$e", 7);
        assertEquals(List.of("!r $e 7"), heard);
    }

    @Test
    void removedListenersHearNothing() {
        RoomEventNotifier notifier = new RoomEventNotifier();
        List<String> heard = new ArrayList<>();
        RoomEventListener listener = (room, event, ordering) -> heard.add(event);
        notifier.addListener(listener);
        notifier.removeListener(listener);
        notifier.notifyNewEvent("!r", "$e", 7);
        assertEquals(List.of(), heard);
    }
}
