package dev.hyphae.node.dag;

import dev.hyphae.node.room.RoomVersion;
import java.util.Collection;

/**
 * The {@code depth} of a new event: the maximum depth of its {@code prev_events} plus one, held at
 * the limit once the room reaches it (2^63 - 1 before room version 6, 2^53 - 1 from version 6 on,
 * where canonical JSON bounds integers).
 */
public final class Depth {
    /** The largest depth in rooms with canonical JSON integers (v6+). */
    public static final long CANONICAL_JSON_MAX = (1L << 53) - 1;

    private Depth() {
    }

    /** The largest depth allowed in rooms of {@code version}. */
    public static long limit(RoomVersion version) {
        return version.strictCanonicalJson() ? CANONICAL_JSON_MAX : Long.MAX_VALUE;
    }

    /**
     * The depth of a new event whose prev events have {@code prevDepths}; 1 for an event without
     * prev events (the create event).
     *
     * @throws IllegalArgumentException when a prev depth is negative
     */
    public static long ofNewEvent(Collection<Long> prevDepths, RoomVersion version) {
        long max = 0;
        for (long depth : prevDepths) {
            if (depth < 0) {
                throw new IllegalArgumentException("negative prev event depth: " + depth);
            }
            max = Math.max(max, depth);
        }
        long limit = limit(version);
        return max >= limit ? limit : max + 1;
    }
}
