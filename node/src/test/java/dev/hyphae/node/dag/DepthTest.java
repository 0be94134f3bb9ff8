package dev.hyphae.node.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DepthTest {
    private static final RoomVersion V5 = RoomVersions.get("5");
    private static final RoomVersion V12 = RoomVersions.get("12");

    @Test
    void depthIsTheMaximumPrevDepthPlusOne() {
        assertEquals(8, Depth.ofNewEvent(List.of(3L, 7L, 5L), V12));
    }

    @Test
    void theCreateEventHasDepthOne() {
        assertEquals(1, Depth.ofNewEvent(List.of(), V12));
    }

    @Test
    void depthStaysAtTheLimitOnceReached() {
        assertEquals(Depth.CANONICAL_JSON_MAX, Depth.ofNewEvent(List.of(Depth.CANONICAL_JSON_MAX), V12));
        assertEquals(Depth.CANONICAL_JSON_MAX, Depth.ofNewEvent(List.of(Depth.CANONICAL_JSON_MAX - 1), V12));
        assertEquals(Long.MAX_VALUE, Depth.ofNewEvent(List.of(Long.MAX_VALUE), V5));
        assertEquals(Depth.CANONICAL_JSON_MAX + 1, Depth.ofNewEvent(List.of(Depth.CANONICAL_JSON_MAX), V5));
    }

    @Test
    void negativePrevDepthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Depth.ofNewEvent(List.of(-1L), V12));
    }
}
