package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.StateKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateResolverTest {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");
    private static final StateKey TOPIC = StateKey.of("m.room.topic", "");
    private final StateResolver resolver = new StateResolver(new AuthorizationRules((event, server) -> true));

    @Test
    void aMissingEventIsReportedAsAFailureNamingIt() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        StateResolution result = resolver.resolve(room.version,
                List.of(Map.of(TOPIC, "T1"), Map.of(TOPIC, "$missing")), room::find, room.rejected::contains);
        StateResolution.Failed failed = assertInstanceOf(StateResolution.Failed.class, result);
        assertTrue(failed.reason().contains("$missing"), failed.reason());
    }

    @Test
    void aMissingAuthEventIsReportedAsAFailure() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "$gone", "MA"));
        room.add("T2", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        StateResolution result = resolver.resolve(room.version,
                List.of(Map.of(TOPIC, "T1"), Map.of(TOPIC, "T2")), room::find, room.rejected::contains);
        assertTrue(assertInstanceOf(StateResolution.Failed.class, result).reason().contains("$gone"));
    }

    @Test
    void statesWithoutConflictsResolveToThemselves() {
        TestRoom room = new TestRoom("10").withBasics();
        Map<StateKey, String> state = Map.of(CREATE, "CREATE");
        StateResolution result = resolver.resolve(room.version, List.of(state, state), id -> {
            throw new AssertionError("no event needs loading");
        }, id -> false);
        assertEquals(new StateResolution.Resolved(state), result);
    }

    @Test
    void noStateSetsResolveToTheEmptyState() {
        TestRoom room = new TestRoom("10");
        assertEquals(new StateResolution.Resolved(Map.of()),
                resolver.resolve(room.version, List.of(), room::find, id -> false));
    }

    @Test
    void aNonStateEventInAStateSetIsAFailureInRoomVersion1() {
        TestRoom room = new TestRoom("1").withBasics();
        room.add("MSG", ALICE, "m.room.message", null, "{}", List.of("CREATE", "PL0", "MA"));
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        StateResolution result = resolver.resolve(room.version,
                List.of(Map.of(TOPIC, "MSG"), Map.of(TOPIC, "T")), room::find, id -> false);
        assertInstanceOf(StateResolution.Failed.class, result);
    }

    @Test
    void eventsMayBeGivenAsAMap() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"), 1);
        room.add("T2", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"), 2);
        Map<StateKey, String> base = Map.of(CREATE, "CREATE", StateKey.of("m.room.member", ALICE), "MA",
                StateKey.of("m.room.power_levels", ""), "PL0");
        Map<StateKey, String> one = new java.util.HashMap<>(base);
        one.put(TOPIC, "T1");
        Map<StateKey, String> two = new java.util.HashMap<>(base);
        two.put(TOPIC, "T2");
        StateResolution result = resolver.resolve(room.version, List.of(one, two), room.events, java.util.Set.of());
        // Same mainline position: the later origin_server_ts is applied last and wins.
        assertEquals("T2", assertInstanceOf(StateResolution.Resolved.class, result).state().get(TOPIC));
    }
}
