package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static dev.hyphae.node.stateres.TestRoom.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IterativeAuthChecksTest {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");
    private static final StateKey PL = StateKey.of("m.room.power_levels", "");
    private static final StateKey MEMBER_ALICE = StateKey.of("m.room.member", ALICE);
    private static final StateKey TOPIC = StateKey.of("m.room.topic", "");

    /** Allows everything except events whose ID starts with "DENY"; records the auth state it was shown. */
    private static final class RecordingAuthorizer implements EventAuthorizer {
        final Map<String, Map<StateKey, String>> seen = new HashMap<>();

        @Override
        public AuthDecision authorize(Pdu event, Map<StateKey, Pdu> authState) {
            Map<StateKey, String> ids = new TreeMap<>();
            authState.forEach((k, v) -> ids.put(k, v.eventId()));
            seen.put(event.eventId(), ids);
            return event.eventId().startsWith("DENY") ? AuthDecision.reject("denied") : AuthDecision.allow();
        }

        @Override
        public Set<StateKey> authStateKeys(Pdu event) {
            return Set.of(CREATE, PL, StateKey.of("m.room.member", event.sender()));
        }
    }

    @Test
    void allowedEventsAreAppliedInOrderAndDeniedOnesIgnored() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("DENY_T2", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("MSG", ALICE, "m.room.message", null, "{}", List.of("CREATE", "PL0", "MA"));
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        Map<StateKey, String> result = new IterativeAuthChecks(authorizer, room.resolutionEvents())
                .apply(Map.of(CREATE, "CREATE"), List.of("T1", "DENY_T2", "MSG"));
        assertEquals(Map.of(CREATE, "CREATE", TOPIC, "T1"), result);
    }

    @Test
    void stateOverridesAuthEventsForNeededKeysAndAuthEventsFillTheGaps() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("PL1", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        new IterativeAuthChecks(authorizer, room.resolutionEvents()).apply(Map.of(PL, "PL1"), List.of("T"));
        assertEquals(Map.of(CREATE, "CREATE", PL, "PL1", MEMBER_ALICE, "MA"), authorizer.seen.get("T"));
    }

    @Test
    void rejectedAuthEventsAreNotUsed() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("BAD_PL", BOB, "m.room.power_levels", "", "{}", List.of("CREATE", "PL0"));
        room.rejected.add("BAD_PL");
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "BAD_PL", "MA"));
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        new IterativeAuthChecks(authorizer, room.resolutionEvents()).apply(Map.of(), List.of("T"));
        assertEquals(Map.of(CREATE, "CREATE", MEMBER_ALICE, "MA"), authorizer.seen.get("T"));
    }

    @Test
    void rejectedEventsInTheListAreCheckedAgainAsUsual() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.rejected.add("T");
        Map<StateKey, String> result = new IterativeAuthChecks(new RecordingAuthorizer(), room.resolutionEvents())
                .apply(Map.of(), List.of("T"));
        assertEquals(Map.of(TOPIC, "T"), result);
    }

    @Test
    void authEventsForKeysTheRulesDoNotNeedAreLeftOut() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("JR", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA", "JR"));
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        new IterativeAuthChecks(authorizer, room.resolutionEvents()).apply(Map.of(), List.of("T"));
        assertEquals(Map.of(CREATE, "CREATE", PL, "PL0", MEMBER_ALICE, "MA"), authorizer.seen.get("T"));
    }

    @Test
    void inRoomVersion12TheCreateEventIsFoundThroughTheRoomId() {
        TestRoom room = new TestRoom("12");
        // The test room's ID is !room:example.com, so its create event's ID is $room:example.com.
        room.add("$room:example.com", ALICE, "m.room.create", "", "{}", List.of());
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of());
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        new IterativeAuthChecks(authorizer, room.resolutionEvents()).apply(Map.of(), List.of("T"));
        assertEquals(Map.of(CREATE, "$room:example.com"), authorizer.seen.get("T"));
    }
}
