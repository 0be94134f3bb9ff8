package dev.hyphae.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.stateres.StateResolution;
import dev.hyphae.node.stateres.StateResolver;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForkedRoomTest {
    private final AuthorizationRules rules = new AuthorizationRules((event, server) -> true);

    private ForkedRoom build(String version) {
        SigningKey key = SigningKey.fromSeed("ed25519:test", new byte[SigningKey.SEED_LENGTH]);
        return new ForkedRoom(RoomVersions.get(version), new EventSigner("hyphae.example", key, new SecureRandom()),
                rules);
    }

    @Test
    void roomVersion12RoomHasTenThousandEventsWhoseForksConflictInOneThousandAndResolve() {
        ForkedRoom room = build("12");
        assertEquals(10_000, room.events.size());
        assertEquals(1_000, room.conflictedEvents());
        assertEquals(room.stateA.size(), room.stateB.size());
        assertNotEquals(room.stateA.get(StateKey.of("m.room.power_levels", "")),
                room.stateB.get(StateKey.of("m.room.power_levels", "")));
        StateResolution result = new StateResolver(rules).resolve(room.version, List.of(room.stateA, room.stateB),
                room::find, id -> false);
        assertEquals(room.stateA.size(), assertInstanceOf(StateResolution.Resolved.class, result).state().size());
    }
}
