package dev.hyphae.node.stateres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.StateKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A 10,000-event room with 1,000 conflicting state events resolves, and the same way every time. */
class LargeRoomResolutionTest {
    private final StateResolver resolver = new StateResolver(new AuthorizationRules((event, server) -> true));

    @Test
    void largeForkResolvesDeterministicallyWithEveryKeyPresent() {
        LargeRoom large = LargeRoom.build(10_000, 1_000);
        assertEquals(10_000, large.room.events.size());
        StateResolution first = resolver.resolve(large.room.version, List.of(large.fork1, large.fork2),
                large.room::find, id -> false);
        StateResolution second = resolver.resolve(large.room.version, List.of(large.fork2, large.fork1),
                large.room::find, id -> false);
        Map<StateKey, String> state = assertInstanceOf(StateResolution.Resolved.class, first).state();
        assertEquals(first, second);
        // Each conflicted key is decided by one of the forks' events.
        for (Map.Entry<StateKey, String> entry : large.fork1.entrySet()) {
            String resolved = state.get(entry.getKey());
            String other = large.fork2.get(entry.getKey());
            org.junit.jupiter.api.Assertions.assertTrue(
                    entry.getValue().equals(resolved) || other.equals(resolved),
                    entry.getKey() + " resolved to " + resolved);
        }
    }

    @Test
    void aSharedAuthChainGivesTheSameResult() {
        LargeRoom large = LargeRoom.build(2_000, 200);
        dev.hyphae.node.dag.AuthChain shared = new dev.hyphae.node.dag.AuthChain(large.room::find);
        List<Map<StateKey, String>> sets = List.of(large.fork1, large.fork2);
        StateResolution fresh = resolver.resolve(large.room.version, sets, large.room::find, id -> false);
        assertEquals(fresh, resolver.resolve(large.room.version, sets, large.room::find, id -> false, shared));
        assertEquals(fresh, resolver.resolve(large.room.version, sets, large.room::find, id -> false, shared));
    }
}
