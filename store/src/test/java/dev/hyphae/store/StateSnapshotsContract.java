package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: state snapshots stored as deltas read back as full state. */
public interface StateSnapshotsContract extends StoreFixture {
    StateTuple CREATE = new StateTuple("m.room.create", "");
    StateTuple NAME = new StateTuple("m.room.name", "");
    StateTuple TOPIC = new StateTuple("m.room.topic", "");
    StateTuple ALICE_MEMBER = new StateTuple("m.room.member", ALICE);

    @Test
    default void stateSnapshotsRoundTripThroughDeltas() {
        createRoom(ROOM);
        long[] groups = write(tx -> {
            StateSnapshots.Writer snapshots = tx.stateSnapshots();
            long base = snapshots.createSnapshot(ROOM, Map.of(CREATE, "$create", NAME, "$name1", TOPIC, "$topic"));
            long delta = snapshots.createDelta(base, Map.of(NAME, "$name2", ALICE_MEMBER, "$join"), Set.of(TOPIC));
            long deltaOfDelta = snapshots.createDelta(delta, Map.of(TOPIC, "$topic2"), Set.of());
            return new long[] {base, delta, deltaOfDelta};
        });

        assertEquals(Map.of(CREATE, "$create", NAME, "$name1", TOPIC, "$topic"),
                store().read(tx -> tx.stateSnapshots().state(groups[0])));
        assertEquals(Map.of(CREATE, "$create", NAME, "$name2", ALICE_MEMBER, "$join"),
                store().read(tx -> tx.stateSnapshots().state(groups[1])));
        assertEquals(Map.of(CREATE, "$create", NAME, "$name2", ALICE_MEMBER, "$join", TOPIC, "$topic2"),
                store().read(tx -> tx.stateSnapshots().state(groups[2])));

        assertEquals(Optional.of("$name2"), store().read(tx -> tx.stateSnapshots().stateEventId(groups[1], NAME)));
        assertEquals(Optional.empty(), store().read(tx -> tx.stateSnapshots().stateEventId(groups[1], TOPIC)));
        StateGroup delta = store().read(tx -> tx.stateSnapshots().group(groups[1])).orElseThrow();
        assertEquals(groups[0], delta.parentGroupId());
        assertEquals(1, delta.chainLength());
        assertEquals(ROOM, delta.roomId());
    }

    @Test
    default void longDeltaChainsStayCorrectAndAreCut() {
        createRoom(ROOM);
        int changes = 300;
        long last = write(tx -> {
            long group = tx.stateSnapshots().createSnapshot(ROOM, Map.of(CREATE, "$create"));
            for (int i = 0; i < changes; i++) {
                StateTuple member = new StateTuple("m.room.member", "@u" + (i % 50) + ":x");
                group = tx.stateSnapshots().createDelta(group, Map.of(member, "$join" + i), Set.of());
            }
            return group;
        });
        Map<StateTuple, String> expected = new HashMap<>();
        expected.put(CREATE, "$create");
        for (int i = 0; i < changes; i++) {
            expected.put(new StateTuple("m.room.member", "@u" + (i % 50) + ":x"), "$join" + i);
        }
        assertEquals(expected, store().read(tx -> tx.stateSnapshots().state(last)));
        assertTrue(store().read(tx -> tx.stateSnapshots().group(last)).orElseThrow().chainLength() < changes);
    }

    @Test
    default void stateBeforeAndAfterAnEventReferenceSnapshots() {
        createRoom(ROOM);
        write(tx -> {
            tx.events().insert(event("$name2"));
            long before = tx.stateSnapshots().createSnapshot(ROOM, Map.of(NAME, "$name1"));
            long after = tx.stateSnapshots().createDelta(before, Map.of(NAME, "$name2"), Set.of());
            tx.stateSnapshots().setEventState(new EventStateGroups("$name2", before, after));
            return null;
        });
        EventStateGroups groups = store().read(tx -> tx.stateSnapshots().eventState("$name2")).orElseThrow();
        assertEquals(Map.of(NAME, "$name1"), store().read(tx -> tx.stateSnapshots().state(groups.stateBeforeGroup())));
        assertEquals(Map.of(NAME, "$name2"), store().read(tx -> tx.stateSnapshots().state(groups.stateAfterGroup())));
        assertTrue(store().read(tx -> tx.stateSnapshots().eventState("$unknown")).isEmpty());
    }

    @Test
    default void unknownStateGroupsAndContradictoryDeltasAreRefused() {
        createRoom(ROOM);
        assertThrows(IllegalArgumentException.class, () -> store().read(tx -> tx.stateSnapshots().state(424242)));
        assertInstanceOf(IllegalArgumentException.class,
                failureOf(store().write(tx -> tx.stateSnapshots().createDelta(424242, Map.of(), Set.of()))));
        assertInstanceOf(IllegalArgumentException.class, failureOf(store().write(tx -> {
            long base = tx.stateSnapshots().createSnapshot(ROOM, Map.of(NAME, "$n"));
            return tx.stateSnapshots().createDelta(base, Map.of(NAME, "$n2"), Set.of(NAME));
        })));
    }
}
